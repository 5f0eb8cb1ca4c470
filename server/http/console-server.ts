import 'server-only';
import http from 'node:http';
import { parentPort } from 'node:worker_threads';
import next from 'next';
import { getDb, projectRoot } from '@/db/client';
import { getEnv } from '@/config/env';
import { markBackgroundElsewhere } from '@/server/boot';
import { adoptClientAddressSecret } from '@/server/lib/client-address';
import { log } from '@/server/lib/log';
import { consoleMetricsJson } from '@/server/lib/metrics';
import { enterLogContextOf, markCustomServer } from './request-guard';
import { answerServerError } from './responses';

/** What the front door hands the console thread when it starts it (console-thread.ts). */
export interface ConsoleWorkerData {
  /** The Unix socket, in a directory only this user can enter, that the front door forwards console requests to. */
  socketPath: string;
  /** The client-address MAC key of the process (client-address.ts), so that the addresses the front door stamped verify here. */
  clientAddressSecret: Uint8Array;
}

/** Messages between the two threads. */
export type ToConsole = { type: 'metrics'; id: number } | { type: 'stop' };
export type FromConsole = { type: 'ready' } | { type: 'metrics'; id: number; metrics: unknown[] } | { type: 'stopped' };

/**
 * The console thread (docs/operations.md, "Process model"): Next.js (console pages, tRPC, the
 * audit export) in a worker thread of its own, behind a private Unix socket that only the front
 * door (serve.ts, on the main thread) talks to. The front door has already guarded every request
 * it forwards (request ID, client address with its MAC, base headers, limits): this thread only
 * puts the request ID in scope for its log lines and lets Next answer.
 *
 * Why a thread: Next's module graph, its process-wide patches (`Date`, `setImmediate`,
 * `console`) and its AsyncLocalStorage contexts (which turn on node's async hooks for the whole
 * isolate) stay out of the thread that answers /sso-meta and the logins: /sso-meta about 16% less
 * CPU per answer (docs/benchmarks.md, "Seventh pass").
 */
export async function runConsoleServer(data: ConsoleWorkerData): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('the console server runs in a worker thread');
  adoptClientAddressSecret(Buffer.from(data.clientAddressSecret));
  // the front door guards every request before it is forwarded; the background tasks run on the main thread
  markCustomServer();
  markBackgroundElsewhere();
  const env = getEnv();
  getDb();
  const app = next({ dev: false, dir: projectRoot(), hostname: env.HOST, port: env.PORT });
  await app.prepare();
  await preloadPages(app);
  const handle = app.getRequestHandler();

  const server = http.createServer((req, res) => {
    enterLogContextOf(req);
    handle(req, res).catch((err: Error) => answerServerError(req, res, err));
  });
  // the front door holds the limits (timeouts, sizes) toward clients; its keep-alive connections here are never timed out,
  // so that it never reuses one this side is closing
  server.keepAliveTimeout = 0;
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(data.socketPath, () => resolve());
  });

  port.on('message', (message: ToConsole) => {
    if (message.type === 'metrics') {
      void consoleMetricsJson()
        .catch(() => [])
        .then((metrics) => port.postMessage({ type: 'metrics', id: message.id, metrics } satisfies FromConsole));
      return;
    }
    if (message.type === 'stop') {
      server.closeAllConnections();
      server.close();
      void app
        .close()
        .catch(() => undefined)
        .then(() => {
          try {
            getDb().$client.close();
          } catch (err) {
            log.warn('console thread: closing the database failed', { error: (err as Error).message });
          }
          port.postMessage({ type: 'stopped' } satisfies FromConsole);
        });
    }
  });
  port.postMessage({ type: 'ready' } satisfies FromConsole);
}

type NodeServer = { unstable_preloadEntries?: () => Promise<void> };
type PreloadingNext = { init?: { server?: { getServer?: () => Promise<NodeServer> } } };

/**
 * Loads every console page's modules before the thread says it is ready. Next starts the same
 * preload itself once prepared, without waiting for it: measured, it then held the event loop
 * for about a second, so the first requests waited behind it. The loaded modules are cached, so
 * Next's own run of it finds them loaded. Next's internals: when a version no longer has this
 * method, the start goes on without it (only that second of delay comes back).
 */
export async function preloadPages(app: unknown): Promise<void> {
  const inner = (app as PreloadingNext).init?.server;
  const nextServer = typeof inner?.getServer === 'function' ? await inner.getServer().catch(() => undefined) : undefined;
  if (typeof nextServer?.unstable_preloadEntries !== 'function') {
    log.warn('next: cannot preload the pages before listening (Next internals changed); the first requests may wait for them');
    return;
  }
  await nextServer.unstable_preloadEntries().catch((err: Error) => log.warn('next: preloading the pages failed', { error: err.message }));
}
