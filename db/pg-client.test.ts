import fs from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '@/test/postgres';
import { ADVISORY_LOCKS, applyPostgresMigrations, openPostgres, postgresMigrationsFolder, type PgDb } from './pg-client';
import { users } from './schema-pg';

const journal = JSON.parse(fs.readFileSync(path.join(postgresMigrationsFolder(), 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };

let server: TestPostgres;
const opened: PgDb[] = [];
const open = (url: string, options?: Parameters<typeof openPostgres>[1]) => {
  const db = openPostgres(url, options);
  opened.push(db);
  return db;
};

beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await Promise.all(opened.map((db) => db.$client.end().catch(() => {})));
  await server?.stop();
});

async function publicTables(db: PgDb): Promise<string[]> {
  const r = await db.$client.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`);
  return r.rows.map((row) => row.name);
}

describe('openPostgres', () => {
  it('opens a pool of the given size whose connections say application_name ice-sso and carry the statement timeout', async () => {
    const db = open(server.url, { poolSize: 3, statementTimeoutMs: 1234 });
    expect(db.$client.options.max).toBe(3);
    const r = await db.$client.query<{ app: string; timeout: string }>(
      `SELECT current_setting('application_name') AS app, current_setting('statement_timeout') AS timeout`,
    );
    expect(r.rows[0]).toEqual({ app: 'ice-sso', timeout: '1234ms' });
  });

  it('takes its pool size from DATABASE_POOL_SIZE (default 10) when none is given', () => {
    expect(open(server.url).$client.options.max).toBe(10);
  });

  it('cancels a statement that runs past the statement timeout (SQLSTATE 57014)', async () => {
    const db = open(server.url, { poolSize: 1, statementTimeoutMs: 200 });
    const started = Date.now();
    await expect(db.$client.query('SELECT pg_sleep(5)')).rejects.toMatchObject({ code: '57014' });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('fails a connection to an unreachable server within the connection timeout instead of hanging', async () => {
    // a listening socket that never answers the PostgreSQL handshake
    const net = await import('node:net');
    const silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as import('node:net').AddressInfo;
      const db = open(`postgres://u:p@127.0.0.1:${port}/x`, { poolSize: 1, connectionTimeoutMs: 300 });
      const started = Date.now();
      await expect(db.$client.query('SELECT 1')).rejects.toThrow(/timeout/i);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      silent.close();
    }
  });

  it('reads bigint values and counts as numbers, as SQLite gives them, in drizzle and raw queries alike', async () => {
    const url = await server.createDatabase();
    const db = open(url, { poolSize: 2 });
    await applyPostgresMigrations(db);
    const now = Date.now();
    await db.insert(users).values({ id: 'u1', tenantId: 't', objectId: 'o', createdAt: now, updatedAt: now, groupsOverage: true, claims: { b: 1, a: [2] } });
    const row = (await db.select().from(users).where(eq(users.id, 'u1')))[0]!;
    expect(row).toMatchObject({ createdAt: now, groupsOverage: true, claims: { b: 1, a: [2] }, status: 'active', searchText: '' });
    const [agg] = await db.select({ n: sql<number>`count(*)`, max: sql<number>`max(${users.createdAt})` }).from(users);
    expect(agg).toEqual({ n: 1, max: now });
    const raw = await db.$client.query<{ created_at: unknown; groups_overage: unknown; claims: unknown }>(
      `SELECT created_at, groups_overage, claims FROM users`,
    );
    // stored as on SQLite: the flag as 1, the JSON as the text written
    expect(raw.rows[0]).toEqual({ created_at: now, groups_overage: 1, claims: '{"b":1,"a":[2]}' });
  });
});

describe('applyPostgresMigrations', () => {
  it('lets two migrators started at once on one fresh database both succeed, creating every table and migration row once', async () => {
    const url = await server.createDatabase();
    const a = open(url, { poolSize: 2 });
    const b = open(url, { poolSize: 2 });
    await Promise.all([applyPostgresMigrations(a), applyPostgresMigrations(b)]);
    const applied = await a.$client.query<{ n: number }>('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations');
    expect(applied.rows[0]!.n).toBe(journal.entries.length);
    expect(await publicTables(a)).toContain('login_events');
    // a third run later finds nothing to do
    await applyPostgresMigrations(b);
    expect((await a.$client.query<{ n: number }>('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations')).rows[0]!.n).toBe(journal.entries.length);
  });

  it('waits for the migrations advisory lock held by another session, then migrates once it is released', async () => {
    const url = await server.createDatabase();
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCKS.migrations]);
      // a statement timeout shorter than the wait: the lock wait must not be cancelled by it
      const db = open(url, { poolSize: 2, statementTimeoutMs: 100 });
      let done = false;
      const migrating = applyPostgresMigrations(db).then(() => (done = true));
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(done).toBe(false);
      expect(await publicTables(db)).toEqual([]);
      await holder.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCKS.migrations]);
      await migrating;
      expect(await publicTables(db)).toContain('users');
    } finally {
      await holder.end();
    }
  });

  it('uses one connection for the lock and the migration, so a pool of one does not wait on itself', async () => {
    const db = open(await server.createDatabase(), { poolSize: 1 });
    await applyPostgresMigrations(db);
    expect(await publicTables(db)).toContain('sessions');
  });
});
