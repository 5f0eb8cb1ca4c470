import 'server-only';
import type http from 'node:http';
import type { ZodError } from 'zod';
import { log } from '@/server/lib/log';
import { REQUEST_ID_HEADER } from '@/server/lib/request-id';
import { applyBaseHeaders } from './base-headers';
import { pathOf } from './request-path';
import { AppError, fieldIssuesOf, SERVER_ERROR_REASON, serverErrorMessage, type FieldIssue } from '@/shared/error-model';

/** JSON response with `Cache-Control: no-store` unless told otherwise. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

/** Body limit for POST /api/login: an Entra token with 200 groups is about 10 KB. */
/** The client address of a request (see client-address.ts): the one function every door uses. */
export { clientAddressOf as clientIp, CLIENT_ADDRESS_HEADER as CLIENT_IP_HEADER } from '@/server/lib/client-address';

/**
 * The one HTTP error body (docs/api.md, "Errors"): `{error, reason, message}`, plus `issues` for
 * a bad input and `requestId` for a 500. Every JSON error of every route is built here.
 */
export interface HttpErrorBody {
  error: string;
  reason: string;
  message: string;
  issues?: FieldIssue[];
  requestId?: string | null;
}

export function errorBody(error: string, reason: string, message: string, extra: Pick<HttpErrorBody, 'issues' | 'requestId'> = {}): HttpErrorBody {
  return { error, reason, message, ...extra };
}

/** The body of an {@link AppError}: its `error` word, reason and message (its `issues` when it has them). */
export function appErrorBody(err: AppError): HttpErrorBody {
  const issues = 'issues' in err && Array.isArray(err.issues) ? (err.issues as FieldIssue[]) : undefined;
  return errorBody(err.error, err.reason, err.message, issues ? { issues } : {});
}

/**
 * The answer to an {@link AppError}: the status of its kind (shared/error-model.ts), its body, and
 * `Retry-After` when it says when. An `internal` error is answered as {@link serverErrorBody}.
 */
export function errorResponse(err: AppError, requestId: string | null = null, headers: Record<string, string> = {}): Response {
  if (err.kind === 'internal') return json(serverErrorBody(requestId), 500, headers);
  const retry: Record<string, string> = err.retryAfterSeconds ? { 'retry-after': String(err.retryAfterSeconds) } : {};
  return json(appErrorBody(err), err.status, { ...retry, ...headers });
}

/** A 400 for an input that failed its zod schema, with the field issues. */
export function invalidInputResponse(error: Pick<ZodError, 'issues'>): Response {
  const issues = fieldIssuesOf(error);
  return json(errorBody('invalid_request', 'invalid_input', issues.map((i) => `${i.field}: ${i.message}`).join('; '), { issues }), 400);
}

/** The body of a 500 (docs/contract.md): the reason and the request ID, never the fault's message. */
export function serverErrorBody(requestId: string | null): { error: 'server_error'; reason: 'server_error'; message: string; requestId: string | null } {
  return { error: 'server_error', reason: SERVER_ERROR_REASON, message: serverErrorMessage(requestId), requestId };
}

/**
 * A node:http handler threw past its own error handling (the fast door, Next in the console
 * thread): logged with the request ID, answered 500 `server_error` with that ID and never the
 * fault's message; the connection is cut instead once the answer has begun.
 */
export function answerServerError(req: http.IncomingMessage, res: http.ServerResponse, err: Error): void {
  const requestId = req.headers[REQUEST_ID_HEADER] as string | undefined;
  log.error('request failed', { path: pathOf(req.url), requestId, error: err.message });
  if (res.headersSent) return void res.destroy();
  applyBaseHeaders(req, res);
  res.writeHead(500, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(serverErrorBody(requestId ?? null)));
}
