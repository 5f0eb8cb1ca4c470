import fs from 'node:fs';
import Database from 'better-sqlite3';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { describe, expect, it } from 'vitest';
import { openDb } from '@/db/client';
import { appRouter } from '@/server/trpc/root';
import { contextFor } from '@/server/trpc/test-contexts';
import { tempDbFile } from '@/test/support/tmp';
import { databaseFaultCode, DatabaseUnavailableError, isDatabaseFault } from './database-fault';
import { sqliteProbe } from './database-probe';

/** A fresh database and a second connection that holds its write lock until released. */
function lockedDatabase() {
  const file = tempDbFile();
  const db = openDb(file);
  const holder = new Database(file);
  holder.exec('BEGIN IMMEDIATE');
  return { file, db, release: () => holder.inTransaction && holder.exec('ROLLBACK'), close: () => holder.close() };
}

const errorOf = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('did not throw');
};

describe('the database fault classifier', () => {
  it('names a real SQLITE_BUSY (write lock held past the busy timeout) and a closed connection as faults, also behind a cause', () => {
    const { db, release, close } = lockedDatabase();
    db.$client.pragma('busy_timeout = 0');
    const busy = errorOf(() => db.$client.exec('BEGIN IMMEDIATE'));
    expect(databaseFaultCode(busy)).toBe('SQLITE_BUSY');
    expect(databaseFaultCode(new Error('wrapped', { cause: busy }))).toBe('SQLITE_BUSY');
    release();
    close();
    db.$client.close();
    expect(databaseFaultCode(errorOf(() => db.$client.prepare('SELECT 1').get()))).toBe('SQLITE_CLOSED');
  });

  it('does not call a constraint violation, a syntax error or a plain error a fault (those stay 500s)', () => {
    const db = openDb(tempDbFile());
    db.$client.exec('CREATE TABLE t (id INTEGER PRIMARY KEY)');
    db.$client.exec('INSERT INTO t VALUES (1)');
    const constraint = errorOf(() => db.$client.exec('INSERT INTO t VALUES (1)'));
    expect((constraint as { code: string }).code).toBe('SQLITE_CONSTRAINT_PRIMARYKEY');
    expect(isDatabaseFault(constraint)).toBe(false);
    expect(isDatabaseFault(errorOf(() => db.$client.exec('SELEKT')))).toBe(false);
    for (const e of [new Error('boom'), new TypeError('x is undefined'), 'SQLITE_BUSY', null, { code: 'SQLITE_BUSY' }]) expect(isDatabaseFault(e)).toBe(false);
  });

  it('knows the SQLite outage codes and the PostgreSQL connection, resource and shutdown classes by code', () => {
    const coded = (code: string) => Object.assign(new Error('x'), { code });
    for (const c of [
      'SQLITE_IOERR_WRITE',
      'SQLITE_FULL',
      'SQLITE_CORRUPT',
      'SQLITE_NOTADB',
      'SQLITE_READONLY_DBMOVED',
      'SQLITE_CANTOPEN',
      '08006',
      '57P01',
      '53300',
    ])
      expect(databaseFaultCode(coded(c)), c).toBe(c);
    for (const c of ['SQLITE_CONSTRAINT', 'SQLITE_ERROR', 'SQLITE_MISUSE', '23505', '42P01', '40001', 'ECONNREFUSED'])
      expect(databaseFaultCode(coded(c)), c).toBeNull();
  });

  it('turns into a 503 database_unavailable whose message never carries the driver message', () => {
    const err = new DatabaseUnavailableError(new Error('SQLITE_IOERR: disk I/O error at /secret/path'));
    expect({ status: err.status, error: err.error, reason: err.reason, retry: err.retryAfterSeconds }).toEqual({
      status: 503,
      error: 'temporarily_unavailable',
      reason: 'database_unavailable',
      retry: 5,
    });
    expect(err.message).not.toMatch(/secret|IOERR/);
  });
});

describe('the SQLite probe', () => {
  it('finds a free database writable, and reads the newest applied migration', async () => {
    const db = openDb(tempDbFile());
    const probe = sqliteProbe(db);
    expect(await probe.writable(0)).toEqual({ ok: true });
    const journal = JSON.parse(fs.readFileSync('db/migrations/meta/_journal.json', 'utf8')) as { entries: Array<{ when: number }> };
    expect(probe.newestAppliedMigration()).toBe(journal.entries.at(-1)!.when);
    expect(sqliteProbe(openDb(tempDbFile(), { migrate: false })).newestAppliedMigration()).toBeNull();
  });

  it('answers SQLITE_BUSY within its budget under a held write lock without blocking the event loop, keeps the busy timeout, and sees the release', async () => {
    const { db, release, close } = lockedDatabase();
    try {
      const probe = sqliteProbe(db);
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 20);
      const started = Date.now();
      const result = await probe.writable(600);
      clearInterval(ticker);
      expect(result).toEqual({ ok: false, code: 'SQLITE_BUSY' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(500);
      expect(Date.now() - started).toBeLessThan(1500);
      // the loop kept turning while the probe waited
      expect(ticks).toBeGreaterThan(10);
      expect(db.$client.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(db.$client.inTransaction).toBe(false);
      release();
      expect(await probe.writable(0)).toEqual({ ok: true });
    } finally {
      close();
    }
  });

  it('notices the database file removed or replaced under the open connection', async () => {
    const file = tempDbFile();
    const db = openDb(file);
    const probe = sqliteProbe(db);
    expect(await probe.writable(0)).toEqual({ ok: true });
    fs.renameSync(file, `${file}.moved`);
    expect(await probe.writable(0)).toEqual({ ok: false, code: 'SQLITE_CANTOPEN' });
    fs.copyFileSync(`${file}.moved`, file);
    expect(await probe.writable(0)).toEqual({ ok: false, code: 'SQLITE_READONLY_DBMOVED' });
    fs.rmSync(file);
    fs.renameSync(`${file}.moved`, file);
    expect(await probe.writable(0)).toEqual({ ok: true });
  });
});

describe('the console API on a locked database', () => {
  it('answers a write 503 SERVICE_UNAVAILABLE with the reason database_unavailable and Retry-After, not INTERNAL_SERVER_ERROR', async () => {
    const { db, close } = lockedDatabase();
    try {
      db.$client.pragma('busy_timeout = 100');
      const res = await fetchRequestHandler({
        endpoint: '/api/trpc',
        req: new Request('http://localhost/api/trpc/settings.update', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ patch: { clockSkewSeconds: 120 } }),
        }),
        router: appRouter,
        createContext: ({ resHeaders }) => contextFor(db, 'admin', { resHeaders }),
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      const body = (await res.json()) as { error: { message: string; data: { code: string; reason: string } } };
      expect(body.error.data).toMatchObject({ code: 'SERVICE_UNAVAILABLE', reason: 'database_unavailable' });
      expect(body.error.message).not.toMatch(/locked|SQLITE/);
    } finally {
      close();
    }
  });
});
