import 'server-only';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { log } from '@/server/lib/log';
import { stampClientAddress } from './client-address';
import { fastRoutes } from './fast-routes';
import { declaredLength, discardRest, HEADERS_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS, MAX_TRPC_BODY_BYTES, rawErrorResponse, REQUEST_TIMEOUT_MS, refuseTooLarge } from './limits';
import { sanitizeRouterHeaders } from './next-headers';
import { callWebHandler } from './node-adapter';
import { baseSecurityHeaders } from './security-headers';

/** JSON doors Next serves (not fast routes), with the methods their route handlers have. */
const NEXT_JSON_DOORS: Record<string, string[]> = { '/api/audit/export': ['GET', 'HEAD'] };

const serverError = JSON.stringify({ error: 'server_error', reason: 'server_error', message: 'An unexpected error occurred.' });

/**
 * The custom server's request listener, in front of every request: stamps the client address,
 * sets the base security headers, refuses oversized tRPC bodies before anything reads them,
 * answers the fast routes itself (and their wrong methods with JSON), and hands the rest to Next.
 */
export function frontDoor(o: { handle: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>; origin: string }): http.RequestListener {
  return (req, res) => {
    stampClientAddress(req);
    const security = baseSecurityHeaders();
    for (const [name, value] of Object.entries(security)) res.setHeader(name, value);
    const pathname = (req.url ?? '/').split('?', 1)[0]!;
    sanitizeRouterHeaders(pathname, (n) => req.headers[n] as string | undefined, (n) => delete req.headers[n]);
    if (pathname.startsWith('/api/trpc') && (declaredLength(req) ?? 0) > MAX_TRPC_BODY_BYTES) {
      // refused before Next reads a byte of it (a chunked body is counted by the route handler)
      return refuseTooLarge(req, res, security);
    }
    const method = req.method ?? 'GET';
    const route = Object.hasOwn(fastRoutes, pathname) ? fastRoutes[pathname] : undefined;
    const handler = route && Object.hasOwn(route, method) ? route[method as keyof typeof route] : undefined;
    const fail = (err: Error) => {
      log.error('request failed', { path: pathname, error: err.message });
      if (res.headersSent) return void res.destroy();
      res.writeHead(500, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(serverError);
    };
    if (handler) return void callWebHandler(handler, req, res, o.origin).catch(fail);
    const allowed = route ? Object.keys(route) : Object.hasOwn(NEXT_JSON_DOORS, pathname) ? NEXT_JSON_DOORS[pathname]! : null;
    if (allowed && !allowed.includes(method)) {
      // a JSON door with a method it does not have: its own error shape, not Next's empty 405
      res.writeHead(405, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', allow: allowed.join(', ') });
      res.end(JSON.stringify({ error: 'invalid_request', reason: 'malformed_request', message: `${pathname} does not accept ${method}.` }));
      return discardRest(req);
    }
    o.handle(req, res).catch(fail);
  };
}

/**
 * Limits of the node:http server itself: time to send headers (slowloris) and the whole
 * request, idle keep-alive, open connections; and JSON answers where the parser refuses a
 * request before any route runs (431 oversized headers, 400 not HTTP, 408 too slow, 405 CONNECT).
 */
export function guardServer(server: http.Server, o: { maxConnections: number }): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') return socket.destroy();
    socket.end(rawErrorResponse(err.code, baseSecurityHeaders()));
  });
  // CONNECT (a proxy tunnel) is no method of this server; without a listener Node drops the socket unanswered
  server.on('connect', (_req, socket: Duplex) => {
    socket.on('error', () => socket.destroy());
    socket.end(rawErrorResponse('CONNECT', baseSecurityHeaders()));
  });
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.maxConnections = o.maxConnections;
}
