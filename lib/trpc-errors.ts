import { TRPCClientError } from '@trpc/client';
import { AppError, type FieldIssue } from '@/shared/error-model';

export type { FieldIssue } from '@/shared/error-model';

/** The `{field, message}` issues the server's errorFormatter attaches to settings errors. */
export function issuesOf(error: unknown): FieldIssue[] {
  if (!(error instanceof TRPCClientError)) return [];
  const issues = (error.data as { issues?: unknown } | undefined)?.issues;
  return Array.isArray(issues) ? (issues as FieldIssue[]) : [];
}

/** The stable reason code the server's errorFormatter attaches to every error (docs/api.md), or null. */
export function reasonOf(error: unknown): string | null {
  if (!(error instanceof TRPCClientError)) return error instanceof AppError ? error.reason : null;
  const reason = (error.data as { reason?: unknown } | undefined)?.reason;
  return typeof reason === 'string' ? reason : null;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : 'Something went wrong.';
}

/**
 * Something between the browser and the server answered instead of it (a proxy's 502 HTML
 * page), or nothing answered. Its message is the one the console shows, in place of
 * "Unexpected token '<' … is not valid JSON".
 */
export class ServerUnreachableError extends AppError {
  constructor(readonly upstreamStatus: number | null) {
    super(
      'unavailable',
      'server_unreachable',
      upstreamStatus === null ? 'The server could not be reached. Try again.' : `The server could not be reached (HTTP ${upstreamStatus}). Try again.`,
    );
    // set by hand: the browser bundle is minified, class names are not kept
    this.name = 'ServerUnreachableError';
  }
}

/** The browser is offline: asking again now cannot work. */
export class OfflineError extends AppError {
  constructor() {
    super('unavailable', 'offline', 'You are offline. The console loads again when the network is back, or press Try again.');
    this.name = 'OfflineError';
  }
}

/** The error itself or the cause tRPC wrapped it in. */
function rootOf(error: unknown): unknown {
  return error instanceof TRPCClientError && error.cause ? error.cause : error;
}

export const isOfflineError = (error: unknown): boolean => rootOf(error) instanceof OfflineError;
export const isUnreachableError = (error: unknown): boolean => rootOf(error) instanceof ServerUnreachableError;

/**
 * `fetch` for the tRPC link: a network failure becomes {@link OfflineError} or
 * {@link ServerUnreachableError}, and so does an answer that is not JSON (tRPC always answers
 * JSON; anything else came from a proxy or an error page).
 */
export async function consoleFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(input, init);
  } catch (err) {
    if (init?.signal?.aborted) throw err;
    if (typeof navigator !== 'undefined' && navigator.onLine === false) throw new OfflineError();
    throw new ServerUnreachableError(null);
  }
  if (!/\bjson\b/i.test(res.headers.get('content-type') ?? '')) throw new ServerUnreachableError(res.status);
  return res;
}
