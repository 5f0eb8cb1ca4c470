import 'server-only';
import { log } from '@/server/lib/log';
import { serverErrorBody } from './responses';

/**
 * The transport-agnostic shape of the hot public routes (/sso-meta, /api/login, /api/session):
 * request facts in, status, headers and body out. The same route function runs behind the
 * custom server's node:http door (node-adapter.ts: no undici Request/Response, no AbortSignal)
 * and behind Next's route handlers in app/ (web-adapter.ts); one implementation, two adapters.
 */
export interface RouteRequest {
  method: string;
  /** The path without the query. */
  path: string;
  /** A request header by lower-case name (repeated headers as node:http and Next join them), or undefined. */
  header(name: string): string | undefined;
  /** The client address this process resolved (client-address.ts), or null when unknown. */
  clientIp: string | null;
  /** The request ID the guard stamped (request-id.ts), or null outside a guarded server. */
  requestId: string | null;
  /** The body as UTF-8 text, read up to {@link MAX_ROUTE_BODY_BYTES}; null when it is larger (nothing past the cap is buffered). */
  readBody(): Promise<string | null>;
}

export interface RouteResponse {
  status: number;
  headers: Readonly<Record<string, string>>;
  /** Bytes or text to send; null for none. A HEAD answer carries its GET's content-length header and no body. */
  body: string | Buffer | null;
}

export type RouteFunction = (request: RouteRequest) => RouteResponse | Promise<RouteResponse>;
export type RouteMethod = 'GET' | 'HEAD' | 'POST' | 'DELETE' | 'OPTIONS';
export type RouteMethods = Partial<Record<RouteMethod, RouteFunction>>;

/** Body limit of the hot routes (only POST /api/login reads one): an Entra token with 200 groups is about 10 KB. */
export const MAX_ROUTE_BODY_BYTES = 64 * 1024;

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } as const;

/** A JSON answer with `Cache-Control: no-store` unless told otherwise (the same headers responses.ts's `json` sets). */
export function jsonRoute(body: unknown, status = 200, headers?: Record<string, string>): RouteResponse {
  return { status, headers: headers ? { ...JSON_HEADERS, ...headers } : JSON_HEADERS, body: typeof body === 'string' ? body : JSON.stringify(body) };
}

/** What either adapter answers when a route throws: logged with the request ID, a 500 `server_error` that never carries the fault's message. */
export function routeFailure(request: RouteRequest, err: unknown): RouteResponse {
  log.error('request failed', { path: request.path, requestId: request.requestId, error: (err as Error).message });
  return jsonRoute(serverErrorBody(request.requestId), 500);
}
