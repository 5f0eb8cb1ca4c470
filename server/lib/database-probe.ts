import 'server-only';
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { dbState, isPostgres, type Db } from '@/db/client';
import type { BridgeClient } from '@/db/pg-bridge';
import { databaseFaultCode } from './database-fault';

/** What a probe found: the database answers, or the driver code of why not. */
export type ProbeResult = { ok: true } | { ok: false; code: string };

/**
 * The health questions asked of a database, one implementation per dialect: SQLite, and
 * PostgreSQL (a query on a connection of its own, off the bridge, under the budget; its own
 * migrations table). Neither may block the event loop.
 */
export interface DatabaseProbe {
  readonly dialect: 'sqlite' | 'postgresql';
  /** The folder under db/ of this dialect's migrations (whose journal says what this version ships). */
  readonly migrationsFolder: 'migrations' | 'migrations-pg';
  /** Whether a writer gets the database within `budgetMs` (retried without blocking; 0 = one try). */
  writable(budgetMs: number): Promise<ProbeResult>;
  /** `created_at` (the journal's `when`) of the newest applied migration, null when none; throws a database fault. */
  newestAppliedMigration(): number | null;
}

/** The probe of a database handle: the one place that picks it by dialect. */
export function databaseProbe(db: Db): DatabaseProbe {
  return isPostgres(db) ? postgresProbe(db) : sqliteProbe(db);
}

/**
 * The PostgreSQL probe. The bridge holds the event loop while it waits (db/pg-bridge.ts), so
 * the question "does a writer get the database" goes over an asynchronous connection of its
 * own, given up after the budget: a primary that answers and is not a read-only standby (after
 * a failover the old primary's address may lead to one). The migrations table is read through
 * the bridge only once the database has answered.
 */
export function postgresProbe(db: Db): DatabaseProbe {
  const client = db.$client as unknown as BridgeClient;
  return {
    dialect: 'postgresql',
    migrationsFolder: 'migrations-pg',
    async writable(budgetMs) {
      const pool = dbState(db, 'health.pg-pool', () => {
        const p = new pg.Pool({
          connectionString: client.connectionUrl,
          max: 1,
          connectionTimeoutMillis: Math.max(budgetMs, 500),
          statement_timeout: Math.max(budgetMs, 500),
          idleTimeoutMillis: 30_000,
          allowExitOnIdle: true,
          application_name: 'ice-sso-readiness',
        });
        p.on('error', () => {});
        return p;
      });
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<ProbeResult>((resolve) => (timer = setTimeout(() => resolve({ ok: false, code: '57014' }), Math.max(budgetMs, 500))));
      const asked = pool.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby').then(
        (r): ProbeResult => (r.rows[0]?.standby ? { ok: false, code: '25006' } : { ok: true }),
        (err: unknown): ProbeResult => ({ ok: false, code: databaseFaultCode(err) ?? pgCode(err) ?? '08006' }),
      );
      try {
        return await Promise.race([asked, late]);
      } finally {
        clearTimeout(timer);
      }
    },
    newestAppliedMigration() {
      const exists = client.prepare("SELECT 1 FROM information_schema.tables WHERE table_schema = 'drizzle' AND table_name = '__drizzle_migrations'").get();
      if (!exists) return null;
      const row = client.prepare('SELECT max(created_at) AS newest FROM drizzle.__drizzle_migrations').get() as { newest: number | string | null } | undefined;
      return row?.newest === null || row?.newest === undefined ? null : Number(row.newest);
    },
  };
}

function pgCode(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}

const RETRY_MS = 50;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The SQLite probe. better-sqlite3 is synchronous and the connection's busy timeout (5 s)
 * would freeze the whole process while another connection holds the write lock, so the probe
 * sets it to 0 for its one statement and polls instead: `BEGIN IMMEDIATE` (the write lock a
 * login needs), a read of the schema, `ROLLBACK`. It also notices the file being removed or
 * replaced under the open connection (which would otherwise go on writing to a deleted inode).
 */
export function sqliteProbe(db: Db): DatabaseProbe {
  return {
    dialect: 'sqlite',
    migrationsFolder: 'migrations',
    async writable(budgetMs) {
      const deadline = Date.now() + budgetMs;
      for (;;) {
        const result = tryWriteLock(db);
        if (result.ok || !/^SQLITE_(BUSY|LOCKED)/.test(result.code) || Date.now() + RETRY_MS > deadline) return result;
        await sleep(RETRY_MS);
      }
    },
    newestAppliedMigration() {
      const exists = db.$client.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
      if (!exists) return null;
      const row = db.get<{ newest: number | string | null }>(sql`SELECT max(created_at) AS newest FROM __drizzle_migrations`);
      return row?.newest === null || row?.newest === undefined ? null : Number(row.newest);
    },
  };
}

function tryWriteLock(db: Db): ProbeResult {
  const client = db.$client;
  // a transaction of this process is open right now (it cannot be, between two awaits, but
  // never nest one): the database answers
  if (client.inTransaction) return { ok: true };
  const moved = fileMoved(db);
  if (moved) return { ok: false, code: moved };
  const previous = client.pragma('busy_timeout', { simple: true }) as number;
  client.pragma('busy_timeout = 0');
  try {
    client.exec('BEGIN IMMEDIATE');
    client.prepare('SELECT count(*) FROM sqlite_master').get();
    client.exec('ROLLBACK');
    return { ok: true };
  } catch (err) {
    if (client.inTransaction) {
      try {
        client.exec('ROLLBACK');
      } catch {
        // the connection itself is broken; the code below says why
      }
    }
    return { ok: false, code: databaseFaultCode(err) ?? 'SQLITE_ERROR' };
  } finally {
    client.pragma(`busy_timeout = ${Number(previous) || 0}`);
  }
}

/** `SQLITE_CANTOPEN` when the file is gone, `SQLITE_READONLY_DBMOVED` when another file took its place; else null. */
function fileMoved(db: Db): string | null {
  const file = db.$client.name;
  if (db.$client.memory) return null;
  const opened = dbState(db, 'health.inode', () => ({ ino: inodeOf(file) }));
  const now = inodeOf(file);
  if (now === null) return 'SQLITE_CANTOPEN';
  if (opened.ino === null) opened.ino = now;
  return now === opened.ino ? null : 'SQLITE_READONLY_DBMOVED';
}

function inodeOf(file: string): number | null {
  try {
    return fs.statSync(file).ino;
  } catch {
    return null;
  }
}
