import 'server-only';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import next from 'next';
import { getDb, projectRoot } from '@/db/client';
import { EnvError, getEnv } from '@/server/env';
import { log } from '@/server/lib/log';
import { bootBackground } from '@/server/boot';
import { fastRoutes } from './fast-routes';
import { callWebHandler } from './node-adapter';
import { markCustomServer, stampClientAddress } from './client-address';
import { declaredLength, discardRest, HEADERS_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS, MAX_TRPC_BODY_BYTES, rawErrorResponse, REQUEST_TIMEOUT_MS, refuseTooLarge } from './limits';
import { baseSecurityHeaders } from './security-headers';

/**
 * The production server: one node:http server in front of Next.js. The hot public endpoints
 * (/sso-meta, /api/login, /api/session) call their route handlers' exported functions directly;
 * every other path (console pages, tRPC) goes through Next. Same handlers either way.
 */
export async function serve(options: { dev?: boolean } = {}): Promise<http.Server> {
  let env;
  try {
    env = getEnv();
  } catch (err) {
    if (err instanceof EnvError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  markCustomServer();
  const db = getDb();
  log.info('database ready', { file: db.$client.name });
  const app = next({ dev: Boolean(options.dev), dir: projectRoot(), hostname: env.HOST, port: env.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  const origin = `http://127.0.0.1:${env.PORT}`;

  const server = http.createServer((req, res) => {
    stampClientAddress(req);
    const security = baseSecurityHeaders();
    for (const [name, value] of Object.entries(security)) res.setHeader(name, value);
    const pathname = (req.url ?? '/').split('?', 1)[0]!;
    if (pathname.startsWith('/api/trpc') && (declaredLength(req) ?? 0) > MAX_TRPC_BODY_BYTES) {
      // refused before Next reads a byte of it (a chunked body is counted by the route handler)
      refuseTooLarge(req, res, security);
      return;
    }
    const route = Object.hasOwn(fastRoutes, pathname) ? fastRoutes[pathname] : undefined;
    const method = (req.method ?? 'GET') as keyof NonNullable<typeof route>;
    const handler = route && Object.hasOwn(route, method) ? route[method] : undefined;
    if (handler) {
      callWebHandler(handler, req, res, origin).catch((err: Error) => {
        log.error('request failed', { path: pathname, error: err.message });
        if (res.headersSent) return void res.destroy();
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
        res.end(JSON.stringify({ error: 'server_error', reason: 'server_error', message: 'An unexpected error occurred.' }));
      });
      return;
    }
    if (route) {
      // a door of the public API with a method it does not have: its own error shape, not Next's empty 405
      res.writeHead(405, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', allow: Object.keys(route).join(', ') });
      res.end(JSON.stringify({ error: 'invalid_request', reason: 'malformed_request', message: `${pathname} does not accept ${req.method}.` }));
      discardRest(req);
      return;
    }
    void handle(req, res);
  });
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
  server.maxConnections = env.MAX_CONNECTIONS;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(env.PORT, env.HOST, () => resolve());
  });
  const stopBackground = bootBackground();
  log.info('ice-sso listening', { url: `http://${env.HOST === '0.0.0.0' ? 'localhost' : env.HOST}:${env.PORT}`, dev: Boolean(options.dev) });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    server.close();
    server.closeIdleConnections();
    await stopBackground();
    await app.close().catch(() => undefined);
    db.$client.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  return server;
}
