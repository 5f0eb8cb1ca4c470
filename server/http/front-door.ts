import 'server-only';
import type http from 'node:http';
import { fastRoutes } from './fast-routes';
import { HEADERS_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS, REQUEST_TIMEOUT_MS } from './limits';
import { answerClientError, answerConnect } from './client-error';
import { callRoute } from './node-adapter';
import { guardRequest } from './request-guard';
import { answerServerError } from './responses';
import { applyBaseHeaders } from './base-headers';

/**
 * The custom server's request listener: every request through {@link guardRequest}, then the
 * fast routes answered here through the node:http adapter (the route functions app/ serves
 * through the Web adapter), everything else by Next.
 */
export function frontDoor(o: { handle: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> }): http.RequestListener {
  return (req, res) => {
    const pathname = guardRequest(req, res);
    if (pathname === null) return;
    const route = Object.hasOwn(fastRoutes, pathname) ? fastRoutes[pathname] : undefined;
    const method = (req.method ?? 'GET') as keyof NonNullable<typeof route>;
    const handler = route && Object.hasOwn(route, method) ? route[method] : undefined;
    let pending: Promise<void> | undefined;
    if (handler) pending = callRoute(handler, req, res);
    else {
      applyBaseHeaders(req, res);
      pending = o.handle(req, res);
    }
    pending?.catch((err: Error) => answerServerError(req, res, err));
  };
}

/**
 * Limits of the node:http server itself: time to send headers (slowloris) and the whole
 * request, idle keep-alive, open connections; and JSON answers where the parser refuses a
 * request before any route runs (431 oversized headers, 400 not HTTP, 408 too slow, 405 CONNECT).
 */
export function guardServer(server: http.Server, o: { maxConnections: number }): void {
  server.on('clientError', answerClientError);
  server.on('connect', answerConnect);
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.maxConnections = o.maxConnections;
}
