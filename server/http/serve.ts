import 'server-only';
import http from 'node:http';
import next from 'next';
import { getDb, projectRoot } from '@/db/client';
import { EnvError, getEnv } from '@/server/env';
import { log } from '@/server/lib/log';
import { bootBackground } from '@/server/boot';
import { fastRoutes } from './fast-routes';
import { callWebHandler } from './node-adapter';
import { DRAIN_TIMEOUT_MS, trackRequests } from './shutdown';
import { CLIENT_IP_HEADER } from './responses';

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
  const db = getDb();
  log.info('database ready', { file: db.$client.name });
  const app = next({ dev: Boolean(options.dev), dir: projectRoot(), hostname: env.HOST, port: env.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  const origin = `http://127.0.0.1:${env.PORT}`;

  const server = http.createServer((req, res) => {
    const ip = clientIpOf(req, env.TRUST_PROXY);
    if (ip) req.headers[CLIENT_IP_HEADER] = ip;
    else delete req.headers[CLIENT_IP_HEADER];
    const pathname = (req.url ?? '/').split('?', 1)[0]!;
    const route = fastRoutes[pathname];
    const handler = route?.[(req.method ?? 'GET') as keyof typeof route];
    if (handler) {
      callWebHandler(handler, req, res, origin).catch((err: Error) => {
        log.error('request failed', { path: pathname, error: err.message });
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end('{"error":"server_error"}');
      });
      return;
    }
    void handle(req, res);
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    if (err.code === 'HPE_HEADER_OVERFLOW') {
      const body = JSON.stringify({ error: 'invalid_request', reason: 'request_too_large', message: 'Request headers are too large.' });
      socket.end(`HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
      return;
    }
    socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
  });
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(env.PORT, env.HOST, () => resolve());
  });
  const stopBackground = bootBackground();
  log.info('ice-sso listening', { url: `http://${env.HOST === '0.0.0.0' ? 'localhost' : env.HOST}:${env.PORT}`, dev: Boolean(options.dev) });

  const requests = trackRequests(server);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down: draining in-flight requests', { signal, timeoutMs: DRAIN_TIMEOUT_MS });
    const { drained, cut } = await requests.drain();
    if (!drained) log.warn('drain timed out: connections cut', { requests: cut });
    await stopBackground();
    await app.close().catch(() => undefined);
    try {
      // leave the database file whole on its own: no WAL for the next start to replay
      db.$client.pragma('wal_checkpoint(TRUNCATE)');
    } catch (err) {
      log.warn('final wal checkpoint failed', { error: (err as Error).message });
    }
    db.$client.close();
    log.info('stopped', { signal });
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  return server;
}

function clientIpOf(req: http.IncomingMessage, trustProxy: boolean): string | null {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  const raw = req.socket.remoteAddress ?? null;
  return raw?.startsWith('::ffff:') ? raw.slice(7) : raw;
}
