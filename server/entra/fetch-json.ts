import 'server-only';
import { AppError } from '@/shared/error-model';
import { readCapped } from '@/server/lib/read-capped';

/** Timeouts and size limits of every fetch to Entra: discovery documents and key sets are small. */
export const FETCH_TIMEOUT_MS = 5_000;
export const MAX_METADATA_BYTES = 512 * 1024;
const MAX_BYTES = MAX_METADATA_BYTES;

export class MetadataFetchError extends AppError {
  readonly code = 'ERR_METADATA_FETCH';
  constructor(
    readonly url: string,
    message: string,
  ) {
    super('unavailable', 'metadata_unreachable', `${url}: ${message}`);
  }
}

/** GETs a JSON document with a timeout and a size cap; never follows a redirect to another host. */
export async function fetchJson(url: string, timeoutMs = FETCH_TIMEOUT_MS): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error', headers: { accept: 'application/json' } });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (cause?.code ?? cause?.message ?? (err as Error).message);
    throw new MetadataFetchError(url, `unreachable (${why})`);
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw new MetadataFetchError(url, `HTTP ${res.status}`);
  }
  const declared = Number(res.headers.get('content-length')); // no header: Number(null) is 0
  if (declared > MAX_BYTES) {
    await res.body?.cancel().catch(() => undefined);
    throw new MetadataFetchError(url, 'document too large');
  }
  const text = await readBody(res, url);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new MetadataFetchError(url, 'not JSON');
  }
}

/** The body as UTF-8, stopping at the size cap (the one capped reader, server/lib/read-capped.ts). */
async function readBody(res: Response, url: string): Promise<string> {
  let text: string | null;
  try {
    text = await readCapped(res.body, MAX_BYTES);
  } catch (err) {
    throw new MetadataFetchError(url, `unreadable (${(err as Error).name === 'TimeoutError' ? 'timed out' : (err as Error).message})`);
  }
  if (text === null) throw new MetadataFetchError(url, 'document too large');
  return text;
}
