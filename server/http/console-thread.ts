import 'server-only';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { projectRoot, type Db } from '@/db/client';
import { clientAddressSecret } from '@/server/lib/client-address';
import { log } from '@/server/lib/log';
import { setPeerMetricsSource } from '@/server/lib/metrics';
import { refreshSettings } from '@/server/settings/service';
import type { ConsoleWorkerData, FromConsole, ToConsole } from './console-server';
import { discardRest } from './limits';
import { errorBody } from './responses';
import { pathOf } from './request-path';
import { REQUEST_ID_HEADER } from '@/server/lib/request-id';

/** How long a start of the console thread may take (Next prepares and loads every page) before the server gives up. */
const START_TIMEOUT_MS = 120_000;
/** How long the console thread's metrics may take before /metrics is served without them. */
const METRICS_TIMEOUT_MS = 1_000;
/** How long the thread may take to stop (Next closes, the database closes) before it is terminated. */
const STOP_TIMEOUT_MS = 5_000;
/** Pause before starting a console thread that died again, doubled per failed start up to the maximum. */
const RESTART_DELAY_MS = 1_000;
const MAX_RESTART_DELAY_MS = 30_000;
/** A thread that served this long before it ended is started again after the first pause, not a longer one. */
const STABLE_MS = 60_000;

/** Headers that belong to one connection, never forwarded (RFC 9110, 7.6.1), and `expect` (the front door answered it). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'upgrade', 'expect']);

export interface ConsoleThread {
  /** Forwards a request the front door guarded to Next in the console thread, and its answer back (streamed both ways). */
  handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void>;
  /** Stops the thread (after the front door drained its requests). */
  stop(): Promise<void>;
}

/**
 * Starts Next.js in a worker thread of its own (console-server.ts) and resolves once it serves:
 * console pages, tRPC and the audit export are forwarded to it over a private Unix socket; the
 * hot routes never leave the main thread. A thread that dies is started again (1 s, doubling to
 * 30 s between failed starts); meanwhile console requests are answered 503
 * `console_unavailable`. docs/operations.md, "Process model". `entry` is the thread's script
 * (console-worker.cjs; tests give a small server that speaks the same messages).
 */
export async function startConsoleThread(db: Db, o: { entry?: string } = {}): Promise<ConsoleThread> {
  const entry = o.entry ?? path.join(projectRoot(), 'server', 'http', 'console-worker.cjs');
  // a directory only this user can enter (mkdtemp makes it 0700): nobody else can reach the socket
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ice-sso-console-'));
  const socketPath = path.join(dir, 'console.sock');
  // removed by stop(), and on any exit of the process that did not stop it (a crash, process.exit); SIGKILL leaves it
  const removeDir = () => fs.rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeDir);
  const agent = new http.Agent({ keepAlive: true });
  const pendingMetrics = new Map<number, (metrics: unknown[] | null) => void>();
  let nextMetricsId = 1;
  let worker: Worker | null = null;
  let serving = false;
  let stopping = false;
  let restartDelay = RESTART_DELAY_MS;

  // Starts a thread; resolves once it serves. A thread that ends after that (or a restart that
  // fails) schedules the next start: 1 s, doubling while threads keep ending within
  // STABLE_MS of their start, back to 1 s after one that served longer.
  const start = () =>
    new Promise<void>((resolve, reject) => {
      fs.rmSync(socketPath, { force: true });
      const data: ConsoleWorkerData = { socketPath, clientAddressSecret: new Uint8Array(clientAddressSecret()) };
      const w = new Worker(entry, { workerData: data });
      worker = w;
      let readyAt = 0;
      const timer = setTimeout(() => {
        if (readyAt) return;
        reject(new Error(`the console (Next.js) did not start within ${START_TIMEOUT_MS / 1000} s`));
        void w.terminate();
      }, START_TIMEOUT_MS);
      w.on('message', (message: FromConsole) => {
        if (message.type === 'ready') {
          readyAt = Date.now();
          serving = true;
          clearTimeout(timer);
          resolve();
        } else if (message.type === 'metrics') {
          pendingMetrics.get(message.id)?.(message.metrics);
          pendingMetrics.delete(message.id);
        }
      });
      w.on('error', (err) => log.error('console thread failed', { error: err.message }));
      w.on('exit', (code) => {
        serving = false;
        if (worker === w) worker = null;
        for (const answer of pendingMetrics.values()) answer(null);
        pendingMetrics.clear();
        clearTimeout(timer);
        if (!readyAt) return reject(new Error(`the console thread stopped while starting (exit code ${code})`));
        if (stopping) return;
        if (Date.now() - readyAt >= STABLE_MS) restartDelay = RESTART_DELAY_MS;
        log.error('console thread stopped: starting it again', { exitCode: code, inMs: restartDelay });
        scheduleRestart();
      });
    });

  const scheduleRestart = () => {
    const delay = restartDelay;
    restartDelay = Math.min(restartDelay * 2, MAX_RESTART_DELAY_MS);
    setTimeout(() => {
      if (stopping) return;
      start().catch((err: Error) => {
        if (stopping) return;
        log.error('console thread did not start again: trying again', { error: err.message, inMs: restartDelay });
        scheduleRestart();
      });
    }, delay).unref();
  };

  await start();

  setPeerMetricsSource(
    () =>
      new Promise((resolve) => {
        const w = worker;
        if (!w || !serving) return resolve(null);
        const id = nextMetricsId++;
        const timer = setTimeout(() => {
          pendingMetrics.delete(id);
          resolve(null);
        }, METRICS_TIMEOUT_MS);
        pendingMetrics.set(id, (metrics) => {
          clearTimeout(timer);
          resolve(metrics as never);
        });
        w.postMessage({ type: 'metrics', id } satisfies ToConsole);
      }),
  );

  return {
    handle: (req, res) => {
      if (!serving) return Promise.resolve(unavailable(req, res));
      return forward(req, res, { socketPath, agent, db });
    },
    stop: async () => {
      stopping = true;
      setPeerMetricsSource(null);
      const w = worker;
      if (w) {
        const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
        const stopped = new Promise<void>((resolve) => w.on('message', (m: FromConsole) => void (m.type === 'stopped' && resolve())));
        w.postMessage({ type: 'stop' } satisfies ToConsole);
        const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS).unref());
        await Promise.race([stopped, timeout]);
        await w.terminate();
        await exited;
      }
      agent.destroy();
      process.removeListener('exit', removeDir);
      removeDir();
    },
  };
}

/** 503 while the console thread is not serving (starting again after it died). */
function unavailable(req: http.IncomingMessage, res: http.ServerResponse): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'retry-after': '1' });
  res.end(JSON.stringify(errorBody('temporarily_unavailable', 'console_unavailable', 'The console is starting again. Try again in a moment.')));
  discardRest(req);
}

/**
 * One request to the console thread and its answer back, streamed with backpressure both ways.
 * A client that goes away cancels the forwarded request; a console that breaks off its answer
 * cuts the client's connection (never a truncated answer that looks whole).
 */
function forward(req: http.IncomingMessage, res: http.ServerResponse, o: { socketPath: string; agent: http.Agent; db: Db }): Promise<void> {
  return new Promise((resolve) => {
    const headers: http.OutgoingHttpHeaders = {};
    const dropped = connectionHeaders(req.headers.connection);
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && !HOP_BY_HOP.has(name) && !dropped?.has(name)) headers[name] = value;
    const upstream = http.request({ socketPath: o.socketPath, agent: o.agent, method: req.method, path: req.url, headers });
    const mutating = req.method !== 'GET' && req.method !== 'HEAD';
    res.once('close', () => {
      if (!res.writableFinished) upstream.destroy();
      resolve();
    });
    upstream.on('response', (answer) => {
      // a settings save in the console is served by this thread's /sso-meta and logins before its answer reaches the admin
      if (mutating) {
        try {
          refreshSettings(o.db);
        } catch (err) {
          log.warn('console thread: re-reading the settings after a change failed', { error: (err as Error).message });
        }
      }
      const droppedAnswer = connectionHeaders(answer.headers.connection);
      for (const [name, value] of Object.entries(answer.headers)) {
        if (value !== undefined && !HOP_BY_HOP.has(name) && name !== 'transfer-encoding' && !droppedAnswer?.has(name)) res.setHeader(name, value);
      }
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage);
      answer.on('error', () => res.destroy());
      answer.on('aborted', () => res.destroy());
      answer.pipe(res);
    });
    upstream.on('error', (err) => {
      if (res.headersSent) return void res.destroy();
      if (res.destroyed) return;
      log.error('console thread did not answer', { path: pathOf(req.url), requestId: req.headers[REQUEST_ID_HEADER], error: err.message });
      unavailable(req, res);
    });
    req.pipe(upstream);
  });
}

/** The header names a `Connection` header lists: they belong to that connection too (RFC 9110, 7.6.1). */
function connectionHeaders(connection: string | undefined): Set<string> | null {
  if (!connection) return null;
  return new Set(connection.split(',').map((name) => name.trim().toLowerCase()));
}
