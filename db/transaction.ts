import 'server-only';
import { dbState, type Db } from './client';

/**
 * Runs `fn` in one write transaction (BEGIN IMMEDIATE), so that concurrent processes
 * serialize on the write lock before reading what they will build on (e.g. the last audit hash).
 * Inside `fn`, keep using `db`: better-sqlite3 is synchronous, so every statement joins the
 * transaction; nested calls become savepoints.
 */
export function writeTransaction<T>(db: Db, fn: () => T): T {
  // one runner per connection: better-sqlite3 builds four wrapper functions for each transaction(fn)
  const run = dbState(db, 'write-transaction', () => db.$client.transaction((f: () => unknown) => f()).immediate);
  return run(fn) as T;
}

/**
 * Runs `fn` with the connection's busy timeout at 0, for background writes (lease renewals,
 * purges): while another process holds the write lock they fail at once with SQLITE_BUSY and
 * try again at their next tick, instead of freezing this process (better-sqlite3 is
 * synchronous) for the busy timeout that requests wait.
 */
export function withoutBusyWait<T>(db: Db, fn: () => T): T {
  const client = db.$client;
  const previous = Number(client.pragma('busy_timeout', { simple: true })) || 0;
  client.pragma('busy_timeout = 0');
  try {
    return fn();
  } finally {
    client.pragma(`busy_timeout = ${previous}`);
  }
}
