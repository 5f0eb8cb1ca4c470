import 'server-only';
import http from 'node:http';
import next from 'next';
import { databaseName, getDb, isPostgres, isPostgresUrl, projectRoot } from '@/db/client';
import { redactUrl } from '@/db/pg-bridge';
import { EnvError, getEnv } from '@/config/env';
import { log } from '@/server/lib/log';
import { startConsoleThread } from './console-thread';
import { bootBackground } from '@/server/boot';
import { enterLogContextOf, markCustomServer } from './request-guard';
import { frontDoor, guardServer } from './front-door';
import { DRAIN_TIMEOUT_MS, trackRequests } from './shutdown';
import { flushLoginSummaries } from '@/server/audit/login-summaries';

/**
 * The production server: one node:http server (the front door) in front of Next.js. The hot
 * public endpoints (/sso-meta, /api/login, /api/session, health, metrics) run their route
 * functions through the node:http adapter on this thread; every other path (console pages, tRPC,
 * the export) is forwarded to Next in the console thread (console-thread.ts). Same route
 * functions as app/ either way.
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
  // before Next prepares: its instrumentation hook would boot the same work (then a no-op here:
  // in the console thread it never boots), so that under `npm start` this thread's own code runs it
  const stopBackground = bootBackground();
  // production: Next.js in a thread of its own (console-thread.ts says why); --dev: in this thread, for hot reload
  let consoleDoor: { handle: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>; stop: () => Promise<void> };
  try {
    consoleDoor = options.dev ? await inProcessNext(env) : await startConsoleThread(db);
  } catch (err) {
    process.stderr.write(`the console (Next.js) did not start: ${(err as Error).message}\n`);
    process.exit(1);
  }
  const handle = consoleDoor.handle;

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
    await consoleDoor.stop().catch((err: Error) => log.warn('stopping the console failed', { error: err.message }));
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

/** `npm start -- --dev`: Next.js with hot reload in this thread, each request's ID in scope for its log lines. */
async function inProcessNext(env: {
  HOST: string;
  PORT: number;
}): Promise<{ handle: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>; stop: () => Promise<void> }> {
  const app = next({ dev: true, dir: projectRoot(), hostname: env.HOST, port: env.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  return {
    handle: (req, res) => {
      enterLogContextOf(req);
      return handle(req, res);
    },
    stop: () => app.close(),
  };
}
