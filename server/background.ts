import 'server-only';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Db } from '@/db/client';
import { projectRoot } from '@/db/client';
import { log } from '@/server/lib/log';

export interface BackgroundTask {
  name: string;
  /** Starts the task; returns its stop function. */
  start(db: Db): (() => void | Promise<void>) | void;
}

const tasks: BackgroundTask[] = [];

/** Registers work that runs beside the server (key refresh, retention purge, ...). */
export function registerBackgroundTask(task: BackgroundTask): void {
  if (!tasks.some((t) => t.name === task.name)) tasks.push(task);
}

/** Starts the WAL checkpointer, the given tasks and every registered one; returns a function that stops them. */
export function startBackgroundServices(db: Db, extra: BackgroundTask[] = []): () => Promise<void> {
  for (const task of extra) registerBackgroundTask(task);
  const stops: Array<() => void | Promise<void>> = [];
  stops.push(startCheckpointer(db));
  for (const task of tasks) {
    try {
      const stop = task.start(db);
      if (stop) stops.push(stop);
    } catch (err) {
      log.error('background task failed to start', { task: task.name, error: (err as Error).message });
    }
  }
  return async () => {
    for (const stop of stops.reverse()) await stop();
  };
}

function startCheckpointer(db: Db): () => Promise<void> {
  const script = path.join(projectRoot(), 'server', 'http', 'checkpointer-worker.cjs');
  // loaded by path at run time: bundlers must not try to bundle the worker (Next's would)
  const worker = new Worker(`require(${JSON.stringify(script)})`, { eval: true, workerData: { file: db.$client.name, intervalMs: 1000 } });
  worker.on('message', (msg: { error?: string }) => {
    if (msg.error) log.warn('wal checkpoint failed', { error: msg.error });
  });
  worker.on('error', (err) => log.error('checkpointer stopped', { error: err.message }));
  worker.unref();
  // the worker checkpoints now; commits no longer pay for it
  db.$client.pragma('wal_autocheckpoint = 0');
  return async () => {
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
