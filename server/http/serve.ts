import 'server-only';
import http from 'node:http';
import next from 'next';
import { databaseName, getDb, isPostgres, isPostgresUrl, projectRoot } from '@/db/client';
import { redactUrl } from '@/db/pg-bridge';
import { EnvError, getEnv } from '@/config/env';
import { log } from '@/server/lib/log';
import { bootBackground } from '@/server/boot';
import { markCustomServer } from './request-guard';
import { frontDoor, guardServer } from './front-door';
import { DRAIN_TIMEOUT_MS, trackRequests } from './shutdown';
import { flushLoginSummaries } from '@/server/audit/login-summaries';

/**
 * The production server: one node:http server in front of Next.js. The hot public endpoints
 * (/sso-meta, /api/login, /api/session) run their route functions through the node:http
 * adapter; every other path (console pages, tRPC) goes through Next. Same route functions either way.
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
  let db: ReturnType<typeof getDb>;
  try {
    db = getDb();
  } catch (err) {
    // the database cannot be opened (PostgreSQL unreachable, a file that cannot be created): one line that says which, no stack
    const shown = isPostgresUrl(env.DATABASE_URL) ? redactUrl(env.DATABASE_URL) : env.DATABASE_URL;
    const what = isPostgresUrl(env.DATABASE_URL) ? 'PostgreSQL database' : 'SQLite database';
    process.stderr.write(`DATABASE_URL=${shown}: cannot open the ${what}: ${(err as Error).message}\n`);
    process.exit(1);
  }
  log.info('database ready', { database: databaseName(db) });
  const app = next({ dev: Boolean(options.dev), dir: projectRoot(), hostname: env.HOST, port: env.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();

  const server = http.createServer(frontDoor({ handle }));
  guardServer(server, { maxConnections: env.MAX_CONNECTIONS });

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
    // rate-limited floods counted in memory become their summary rows before the database closes
    flushLoginSummaries(db);
    try {
      // leave the database file whole on its own: no WAL for the next start to replay (SQLite; PostgreSQL has its own)
      if (!isPostgres(db)) db.$client.pragma('wal_checkpoint(TRUNCATE)');
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
