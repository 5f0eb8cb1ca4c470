import 'server-only';
import { readCapped } from '@/server/lib/read-capped';
import { GraphRequestError } from './errors';

/** Largest answer read from the token endpoint or Graph: a page of 999 groups with names is about 150 KB. */
export const MAX_GRAPH_RESPONSE_BYTES = 2 * 1024 * 1024;
/** One request never waits longer than this, whatever budget is left. */
export const GRAPH_REQUEST_TIMEOUT_MS = 5_000;

export interface JsonAnswer {
  status: number;
  body: unknown;
  /** Seconds from `Retry-After` (delta-seconds or an HTTP date), when sent. */
  retryAfter: number | null;
}

/**
 * One request with a deadline, a size cap and no redirects (a redirect could carry the token
 * elsewhere). Network failures and time-outs are `graph_unavailable`; any status is returned.
 */
export async function requestJson(
  url: string,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
  deadline: number,
  what: string,
): Promise<JsonAnswer> {
  const remaining = Math.min(deadline - Date.now(), GRAPH_REQUEST_TIMEOUT_MS);
  if (remaining <= 0) throw new GraphRequestError('graph_unavailable', `${what}: no time left within the sign-in's time limit`);
  let res: Response;
  try {
    res = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(remaining), headers: { accept: 'application/json', ...init.headers } });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    const why = (err as Error).name === 'TimeoutError' ? `no answer within ${remaining} ms` : (cause?.code ?? (err as Error).name);
    throw new GraphRequestError('graph_unavailable', `${what}: unreachable (${why})`);
  }
  const declared = Number(res.headers.get('content-length'));
  let text: string | null = null;
  if (declared <= MAX_GRAPH_RESPONSE_BYTES) {
    try {
      text = await readCapped(res.body, MAX_GRAPH_RESPONSE_BYTES);
    } catch (err) {
      throw new GraphRequestError('graph_unavailable', `${what}: answer cut off (${(err as Error).name === 'TimeoutError' ? 'timed out' : 'connection lost'})`);
    }
  } else await res.body?.cancel().catch(() => undefined);
  if (text === null) throw new GraphRequestError('graph_bad_response', `${what}: answer larger than ${MAX_GRAPH_RESPONSE_BYTES} bytes`);
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      if (res.ok) throw new GraphRequestError('graph_bad_response', `${what}: HTTP ${res.status}, not JSON`);
    }
  }
  return { status: res.status, body, retryAfter: retryAfterOf(res.headers.get('retry-after')) };
}

function retryAfterOf(header: string | null): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/** Waits `ms` and returns true, or returns false at once when that would pass the deadline (a `Retry-After` beyond the budget is not waited for). */
export async function pause(ms: number, deadline: number): Promise<boolean> {
  if (Date.now() + ms > deadline) return false;
  await new Promise((resolve) => setTimeout(resolve, ms));
  return true;
}
