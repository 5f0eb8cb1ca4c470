import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { getEnv } from '@/config/env';
import { BridgeClient, isBridgeClient } from './pg-bridge';
import * as schema from './schema';
import { registerSqlFunctions } from './sql-functions';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** Path of the SQLite file named by a `DATABASE_URL` (`file:./x.db`, `file:///abs/x.db` or a plain path). */
export function databasePath(url: string): string {
  let p = url;
  if (p.startsWith('file://')) p = new URL(p).pathname;
  else if (p.startsWith('file:')) p = p.slice('file:'.length);
  return path.resolve(p);
}

/** Folder of the project: migrations live in `<root>/db/migrations`. */
export function projectRoot(): string {
  return getEnv().ICE_SSO_ROOT ?? process.cwd();
}

export interface OpenOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  /** Leave WAL checkpoints to a background checkpointer instead of the committing request. */
  externalCheckpoints?: boolean;
}

/**
 * Opens (creating if needed) a SQLite database file in WAL mode with foreign keys on,
 * and applies pending migrations.
 */
export function openDb(file: string, options: OpenOptions = {}): Db {
  // a PostgreSQL URL where a file was expected (the PostgreSQL run of the test suites)
  if (isPostgresUrl(file)) return openDatabase(file, options);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const client = new Database(file);
  client.pragma('journal_mode = WAL');
  client.pragma('synchronous = NORMAL');
  client.pragma('foreign_keys = ON');
  client.pragma('busy_timeout = 5000');
  // Statement journals (a multi-row INSERT inside a transaction, such as a login's memberships) in
  // memory: on a file, each spilled past 64 KiB into a temporary file created for it, about a
  // tenth of a first sign-in's CPU (docs/benchmarks.md, "Seventh pass"). Temporary b-trees (a sort
  // without an index, DISTINCT) are held in memory too, as large as what such a query sorts.
  client.pragma('temp_store = MEMORY');
  if (options.externalCheckpoints) client.pragma('wal_autocheckpoint = 0');
  registerSqlFunctions(client);
  const db = drizzle({ client, schema });
  if (options.migrate !== false) applyMigrations(db);
  return db;
}

/** Applies pending drizzle-kit migrations; safe when several processes start at once. */
export function applyMigrations(db: Db): void {
  const migrationsFolder = path.join(projectRoot(), 'db', 'migrations');
  for (let attempt = 0; ; attempt++) {
    try {
      migrate(db, { migrationsFolder });
      return;
    } catch (err) {
      const busy = err instanceof Error && /SQLITE_BUSY|database is locked/.test(`${(err as { code?: string }).code} ${err.message}`);
      if (!busy || attempt >= 20) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
}

/** Whether a `DATABASE_URL` names PostgreSQL (`postgres://` or `postgresql://`). */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** Whether `db` is PostgreSQL (through db/pg-bridge.ts) rather than a SQLite file. */
export function isPostgres(db: Db): boolean {
  return isBridgeClient(db.$client);
}

/**
 * Opens the database a `DATABASE_URL` names: a SQLite file, or PostgreSQL (`postgres://…`,
 * pooled by node-postgres behind db/pg-bridge.ts, migrations of db/migrations-pg applied).
 */
export function openDatabase(url: string, options: OpenOptions = {}): Db {
  if (!isPostgresUrl(url)) return openDb(databasePath(url), options);
  const client = new BridgeClient(url, { poolSize: getEnv().DATABASE_POOL_SIZE, dbFolder: path.join(projectRoot(), 'db') });
  try {
    if (options.migrate !== false) client.migrate(path.join(projectRoot(), 'db', 'migrations-pg'));
  } catch (err) {
    client.close();
    throw err;
  }
  return drizzle({ client: client as unknown as Database.Database, schema }) as Db;
}

/**
 * The folder of the files that belong with the database (audit.key, graph.key, backups): beside
 * the SQLite file, or `<project>/data` on PostgreSQL, where every instance must find the same
 * keys (AUDIT_KEY_FILE and GRAPH_KEY_FILE point elsewhere; docs/operations.md).
 */
export function databaseFolder(db: Db): string {
  return isPostgres(db) ? path.join(projectRoot(), 'data') : path.dirname(db.$client.name);
}

/** What logs and messages may show of the database: the SQLite file, or the PostgreSQL URL without its password. */
export function databaseName(db: Db): string {
  return db.$client.name;
}

const GLOBAL_KEY = Symbol.for('ice-sso.db');
type GlobalWithDb = typeof globalThis & { [GLOBAL_KEY]?: { url: string; db: Db } };

/**
 * The process-wide database named by `DATABASE_URL`. Kept on `globalThis` because Next.js
 * bundles its own copy of this module next to the custom server's.
 */
export function getDb(): Db {
  const g = globalThis as GlobalWithDb;
  const url = getEnv().DATABASE_URL;
  const existing = g[GLOBAL_KEY];
  if (existing && existing.url === url) return existing.db;
  const db = openDatabase(url);
  g[GLOBAL_KEY] = { url, db };
  return db;
}

/**
 * Per-database state (caches) stored on the connection object itself, so that every copy
 * of a module in the process sees the same state for the same database.
 */
export function dbState<T>(db: Db, key: string, init: () => T): T {
  const sym = Symbol.for(`ice-sso.state.${key}`);
  const holder = db.$client as unknown as Record<symbol, T | undefined>;
  let value = holder[sym];
  if (value === undefined) {
    value = init();
    holder[sym] = value;
  }
  return value;
}
