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
  // before Next prepares: its instrumentation hook boots the same work from Next's bundled copy
  // of these modules (then a no-op), so that under `npm start` this process's own code runs it
  const stopBackground = bootBackground();
  const app = next({ dev: Boolean(options.dev), dir: projectRoot(), hostname: env.HOST, port: env.PORT });
  await app.prepare();
  if (!options.dev) await preloadPages(app);
  const handle = app.getRequestHandler();

  const server = http.createServer(frontDoor({ handle }));
  guardServer(server, { maxConnections: env.MAX_CONNECTIONS });
  // tracked from the first request on: a SIGTERM drains every request this server ever took
  const requests = trackRequests(server);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(env.PORT, env.HOST, () => resolve());
  });
  log.info('ice-sso listening', { url: `http://${env.HOST === '0.0.0.0' ? 'localhost' : env.HOST}:${env.PORT}`, dev: Boolean(options.dev) });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down: draining in-flight requests', { signal, timeoutMs: DRAIN_TIMEOUT_MS });
    // Held until the exit: a step that awaits a handle someone unref'd (a listener's socket) must
    // not let the process run out of work and end halfway, with exit code 0 and the last steps
    // (login summaries, the final checkpoint) never run. And bounded: a step that never ends
    // does not keep a stopping instance alive.
    setTimeout(() => {
      log.error('shutdown did not finish in time: exiting', { signal, timeoutMs: DRAIN_TIMEOUT_MS + SHUTDOWN_STEPS_TIMEOUT_MS });
      process.exit(1);
    }, DRAIN_TIMEOUT_MS + SHUTDOWN_STEPS_TIMEOUT_MS);
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

/** What the steps after the drain (background tasks, Next, the database) may take together. */
const SHUTDOWN_STEPS_TIMEOUT_MS = 10_000;

type NodeServer = { unstable_preloadEntries?: () => Promise<void> };
type PreloadingNext = { init?: { server?: { getServer?: () => Promise<NodeServer> } } };

/**
 * Loads every console page's modules before the server listens. Next starts the same preload
 * itself once prepared, without waiting for it: measured here, it then held the event loop for
 * about a second right after "listening", so the first logins waited behind it and a SIGTERM in
 * that second found their connections unread (idle) and closed them. The loaded modules are
 * cached, so Next's own run of it finds them loaded. Next's internals: when a version no longer
 * has this method, the start goes on without it (only that second of delay comes back).
 */
async function preloadPages(app: unknown): Promise<void> {
  const inner = (app as PreloadingNext).init?.server;
  const nextServer = typeof inner?.getServer === 'function' ? await inner.getServer().catch(() => undefined) : undefined;
  if (typeof nextServer?.unstable_preloadEntries !== 'function') {
    log.warn('next: cannot preload the pages before listening (Next internals changed); the first requests may wait for them');
    return;
  }
  await nextServer.unstable_preloadEntries().catch((err: Error) => log.warn('next: preloading the pages failed', { error: err.message }));
}
