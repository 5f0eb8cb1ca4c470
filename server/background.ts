import 'server-only';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Db } from '@/db/client';
import { isPostgres, projectRoot } from '@/db/client';
import { runWhileLeader, type LeaderOptions } from '@/server/lib/lease';
import { log } from '@/server/lib/log';

export interface BackgroundTask {
  name: string;
  /**
   * Work that must run once per deployment (key refresh, retention purge, housekeeping): it runs
   * only on the instance that holds the background lease (server/lib/lease.ts), and moves to
   * another instance when that one stops or dies. Without it, every process runs the task.
   */
  once?: boolean;
  /** Starts the task; returns its stop function. */
  start(db: Db): (() => void | Promise<void>) | void;
}

/** The lease that elects the one instance running the `once` tasks. */
export const BACKGROUND_LEASE = 'background';

const tasks: BackgroundTask[] = [];

/** Registers work that runs beside the server (key refresh, retention purge, ...). */
export function registerBackgroundTask(task: BackgroundTask): void {
  if (!tasks.some((t) => t.name === task.name)) tasks.push(task);
}

/**
 * Starts the WAL checkpointer (per process: it serves this process's connection to the file),
 * every task that runs per process, and the `once` tasks while this process leads; returns a
 * function that stops them and gives the lead up.
 */
export function startBackgroundServices(db: Db, extra: BackgroundTask[] = [], lease: Partial<Omit<LeaderOptions, 'lead' | 'name'>> = {}): () => Promise<void> {
  for (const task of extra) registerBackgroundTask(task);
  const stops: Array<() => void | Promise<void>> = [];
  // SQLite's WAL needs checkpoints from outside the request path; PostgreSQL checkpoints itself
  if (!isPostgres(db)) stops.push(startCheckpointer(db));
  stops.push(
    ...startTasks(
      db,
      tasks.filter((t) => !t.once),
    ),
  );
  const once = tasks.filter((t) => t.once);
  if (once.length > 0) {
    stops.push(
      runWhileLeader(db, {
        ...lease,
        name: BACKGROUND_LEASE,
        lead: () => {
          const mine = startTasks(db, once);
          return async () => {
            for (const stop of mine.reverse()) await stop();
          };
        },
      }),
    );
  }
  return async () => {
    for (const stop of stops.reverse()) await stop();
  };
}

function startTasks(db: Db, list: BackgroundTask[]): Array<() => void | Promise<void>> {
  const stops: Array<() => void | Promise<void>> = [];
  for (const task of list) {
    try {
      const stop = task.start(db);
      if (stop) stops.push(stop);
    } catch (err) {
      log.error('background task failed to start', { task: task.name, error: (err as Error).message });
    }
  }
  return stops;
}

/**
 * The WAL checkpointer, in two steps each second. A worker thread with its own connection copies
 * the WAL into the database file while requests go on; then this thread, the process's only
 * writer, copies the frames committed meanwhile (10-25 ms once a second under a full load of
 * first sign-ins, next to nothing when idle). SQLite starts the WAL over from its beginning only
 * at a write that finds every frame copied, and a worker racing the writers never finds that:
 * the WAL then grew without end, every commit wrote past its end, and the kernel zeroed each new
 * block (13-33% of the main thread's time in first sign-ins, docs/benchmarks.md "Sixth pass").
 * Started over, the WAL is written over in place.
 */
export function startCheckpointer(db: Db, intervalMs = 1000): () => Promise<void> {
  const script = path.join(projectRoot(), 'server', 'http', 'checkpointer-worker.cjs');
  // loaded by path at run time: bundlers must not try to bundle the worker (Next's would)
  const worker = new Worker(`require(${JSON.stringify(script)})`, { eval: true, workerData: { file: db.$client.name } });
  let busy = false;
  let stopped = false;
  worker.on('message', (msg: { error?: string; done?: boolean }) => {
    if (msg.error) log.warn('wal checkpoint failed', { error: msg.error });
    if (!msg.done) return;
    busy = false;
    if (stopped) return;
    try {
      // PASSIVE never waits for a lock: a checkpoint of another process's in progress leaves this one for the next tick
      db.$client.pragma('wal_checkpoint(PASSIVE)');
    } catch (err) {
      log.warn('wal checkpoint failed', { error: (err as Error).message });
    }
  });
  worker.on('error', (err) => {
    log.error('checkpointer stopped: commits checkpoint the WAL themselves from now on', { error: err.message });
    // without the worker nobody would: SQLite's own checkpoint at commit (every 1,000 frames) takes over
    if (!stopped) db.$client.pragma('wal_autocheckpoint = 1000');
  });
  worker.unref();
  const timer = setInterval(() => {
    // one checkpoint at a time: a slow disk skips ticks instead of queueing them
    if (busy) return;
    busy = true;
    worker.postMessage('checkpoint');
  }, intervalMs);
  timer.unref();
  // the worker checkpoints now; commits no longer pay for it
  db.$client.pragma('wal_autocheckpoint = 0');
  return async () => {
    stopped = true;
    clearInterval(timer);
    db.$client.pragma('wal_autocheckpoint = 1000');
    worker.postMessage('stop');
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 2000);
      worker.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
  };
}
