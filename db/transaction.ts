import 'server-only';
import type { Db } from './client';

/**
 * Runs `fn` in one write transaction (BEGIN IMMEDIATE), so that concurrent processes
 * serialize on the write lock before reading what they will build on (e.g. the last audit hash).
 * Inside `fn`, keep using `db`: better-sqlite3 is synchronous, so every statement joins the
 * transaction; nested calls become savepoints.
 */
export function writeTransaction<T>(db: Db, fn: () => T): T {
  return db.$client.transaction(fn).immediate();
}
