import 'server-only';
import crypto from 'node:crypto';
import type http from 'node:http';

/** Every response carries it; a 500's body carries it too, so a person can quote it to an operator. */
export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * Gives the request a fresh ID (never the client's: a client-written ID could collide with or
 * impersonate another request in the logs), on the request for the handlers; the answer carries
 * it too (request-guard.ts sets it with the base headers).
 */
export function stampRequestId(req: http.IncomingMessage): string {
  const id = newRequestId();
  req.headers[REQUEST_ID_HEADER] = id;
  return id;
}

/** A fresh request ID (a random UUID), for a request or for an answer given before any request existed (the parser's 431, 400). */
export function newRequestId(): string {
  return crypto.randomUUID();
}

/** The ID the guard gave a Web request (route handlers, tRPC), or null outside a guarded server. */
export function requestIdOf(request: Request | Headers): string | null {
  const headers = request instanceof Headers ? request : request.headers;
  const id = headers.get(REQUEST_ID_HEADER);
  return id && /^[0-9a-f-]{36}$/.test(id) ? id : null;
}
