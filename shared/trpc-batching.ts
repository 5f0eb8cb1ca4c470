/**
 * How the console batches its API calls; shared by the browser client and the server handler,
 * so that the server's `maxBatchSize` never refuses what the console sends.
 */
export const MAX_BATCH_SIZE = 10;

/** Sign-in, setup and sign-out each go alone: one request per password, never 60 in one. */
export function isUnbatchedPath(path: string): boolean {
  return path.startsWith('auth.');
}
