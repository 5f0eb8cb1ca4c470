import 'server-only';
import { readCapped } from '@/server/lib/read-capped';

/** JSON response with `Cache-Control: no-store` unless told otherwise. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

/** Body limit for POST /api/login: an Entra token with 200 groups is about 10 KB. */
export const MAX_BODY_BYTES = 64 * 1024;

export class BodyTooLargeError extends Error {
  readonly code = 'ERR_BODY_TOO_LARGE';
}

/** Reads a request body as text, refusing more than `limit` bytes without buffering them. */
export async function readBodyCapped(request: Request, limit = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) throw new BodyTooLargeError();
  const text = await readCapped(request.body, limit);
  if (text === null) throw new BodyTooLargeError();
  return text;
}

/** The client address of a request (see client-address.ts): the one function every door uses. */
export { clientAddressOf as clientIp, CLIENT_ADDRESS_HEADER as CLIENT_IP_HEADER } from './client-address';

/** The body of a 500 (docs/contract.md): the reason and the request ID, never the fault's message. */
export function serverErrorBody(requestId: string | null): { error: 'server_error'; reason: 'server_error'; message: string; requestId: string | null } {
  return {
    error: 'server_error',
    reason: 'server_error',
    message: `Something went wrong on the server.${requestId ? ` Quote request ID ${requestId} to your administrator.` : ''}`,
    requestId,
  };
}
