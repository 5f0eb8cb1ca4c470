import crypto from 'node:crypto';
import Database from 'better-sqlite3';
import { is } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '@/db/client';
import { applyPostgresMigrations, openPostgres } from '@/db/pg-client';
import * as sqliteSchema from '@/db/schema';
import * as pgSchema from '@/db/schema-pg';
import { writeTransaction } from '@/db/transaction';
import { purgeExpiredAuditEvents } from '@/server/audit-reports/retention';
import { recordChange } from '@/server/audit/changes';
import { chainHeads } from '@/server/audit/heads';
import { auditKey } from '@/server/audit/key';
import { recordLoginEvent } from '@/server/audit/logins';
import { addLoginEvents, addPeople, rng } from '@/server/audit/test-fixtures';
import { verifyPostgresChain, verifyPostgresChains } from '@/server/audit/verify-postgres';
import { seedUser } from '@/server/directory/test-seed';
import { setUserStatus } from '@/server/directory/user-status';
import { issueSetupToken, openConsoleSession } from '@/server/sessions/local-admin';
import { claimTokenId, createSession } from '@/server/sessions/sessions';
import { reservePasswordCheck } from '@/server/sessions/sign-in-budget';
import { updateSettings } from '@/server/settings/service';
import { startPostgres, type TestPostgres } from '@/test/postgres';
import { runCli } from '@/test/support/processes';
import { tempDbFile } from '@/test/support/tmp';
import { dbCopyCommand } from './db-copy';
import { EXIT } from './io';

const DAY = 86_400_000;
const NOW = Date.now();

/** Every table of the one schema definition, found the way the copy must find them (not from its list). */
const schemaTables = Object.values(sqliteSchema as Record<string, unknown>)
  .filter((v): v is SQLiteTable => is(v, SQLiteTable))
  .map((t) => getTableConfig(t));

/**
 * A SQLite deployment with rows in every table: settings versions, Entra users (one disabled)
 * with groups and memberships, sessions and used token IDs, the break-glass admin with a setup
 * link and a console session, sign-in budgets, discovery cache, login history (with a summary
 * row) and change log, and retention checkpoints of both chains (their oldest events purged).
 */
async function seededDeployment(): Promise<{ db: Db; file: string }> {
  const file = tempDbFile();
  const db = openDb(file);
  writeTransaction(db, () => {
    for (let i = 0; i < 30; i++) {
      recordLoginEvent(db, { outcome: 'accepted', reason: null, status: 200, username: `old-${i}`, amr: ['pwd'] }, NOW - 400 * DAY + i);
      recordChange(db, { kind: 'cli', name: 'cli' }, { action: 'user.disable', targetType: 'user', targetId: `old-${i}` }, NOW - 400 * DAY + i);
    }
  });
  updateSettings(
    db,
    { tenantId: '8eaef023-2b34-4da1-9baa-8bc8c9d6a490', clientId: '6731de76-14a6-49ae-97bc-6eba6914391e', enabled: true },
    { kind: 'cli', name: 'cli' },
  );
  updateSettings(db, { domainHint: 'contoso.com' }, { kind: 'local', name: 'admin' }, 'with a comment: "quotes", ünïcode');
  const anna = seedUser(db, {
    displayName: 'Anna Bergström',
    email: 'anna@contoso.com',
    groups: ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222'],
  });
  const bo = seedUser(db, { displayName: 'Bo "Zoë" Dahl', groups: ['22222222-2222-4222-8222-222222222222'], groupsOverage: true, amr: ['pwd', 'mfa'] });
  setUserStatus(db, bo.id, 'disabled', { kind: 'cli', name: 'cli' }, 'left the company', NOW);
  createSession(db, anna.id, { lifetimeMinutes: 60, now: NOW, clientAppId: 'app', ip: '10.0.0.1', userAgent: 'ICE-PTT/5.2' });
  createSession(db, bo.id, { lifetimeMinutes: 60, now: NOW - DAY });
  claimTokenId(db, 'uti-copied', NOW + DAY);
  issueSetupToken(db, 'setup', NOW);
  const adminId = crypto.randomUUID();
  db.insert(sqliteSchema.localAdmins).values({ id: adminId, username: 'admin', passwordHash: 'scrypt$stored-hash', createdAt: NOW, updatedAt: NOW }).run();
  writeTransaction(db, () => openConsoleSession(db, adminId, { ip: '::1', userAgent: 'Firefox' }, NOW));
  reservePasswordCheck(db, { username: 'admin', ip: '10.0.0.9' }, NOW);
  db.insert(sqliteSchema.discoveryCache).values({ url: 'https://login.example/keys', body: '{"keys":[{"kid":"a","n":"x"}]}', fetchedAt: NOW }).run();
  db.insert(sqliteSchema.loginRefusalWindows).values({ key: '203.0.113.7', windowStart: NOW, count: 3 }).run();
  db.insert(sqliteSchema.leases)
    .values({ name: 'background', holder: 'host/1234/abcd', expiresAt: NOW + 10_000 })
    .run();
  db.insert(sqliteSchema.graphCredentials)
    .values({ kind: 'client_secret', sealed: 'v1.sealed-bytes-for-the-copy-test', setAt: NOW, setBy: 'admin@contoso.example' })
    .run();
  addLoginEvents(db, addPeople(db, rng(3)), 200, { start: NOW - DAY });
  writeTransaction(db, () =>
    recordLoginEvent(db, { outcome: 'refused', reason: 'rate_limited', status: 429, ip: '10.0.0.7', attempts: 40, lastTs: NOW - 1000 }, NOW - 5000),
  );
  await purgeExpiredAuditEvents(db, NOW, { batchSize: 8 });
  return { db, file };
}

/** Every row of a table in primary-key order, each value as text exactly as stored (integers in full, blobs as \x hex). */
function sqliteRows(db: Db, table: ReturnType<typeof getTableConfig>): Array<Array<string | null>> {
  const cols = table.columns.map((c) => `"${c.name}"`).join(', ');
  const rows = db.$client
    .prepare(`SELECT ${cols} FROM "${table.name}" ORDER BY ${primaryKey(table)}`)
    .safeIntegers(true)
    .raw(true)
    .all() as unknown[][];
  return rows.map((r) => r.map((v) => (v === null ? null : Buffer.isBuffer(v) ? `\\x${v.toString('hex')}` : String(v))));
}

async function postgresRows(client: pg.ClientBase, table: ReturnType<typeof getTableConfig>): Promise<Array<Array<string | null>>> {
  const cols = table.columns.map((c) => `"${c.name}"`).join(', ');
  // every value as PostgreSQL's own text output, no parsing
  const r = await client.query<Array<string | null>>({
    text: `SELECT ${cols} FROM "${table.name}" ORDER BY ${primaryKey(table)}`,
    rowMode: 'array',
    types: { getTypeParser: () => (v: string) => v },
  });
  return r.rows;
}

function primaryKey(table: ReturnType<typeof getTableConfig>): string {
  const columns = table.primaryKeys.length ? table.primaryKeys[0]!.columns : table.columns.filter((c) => c.primary);
  return columns.map((c) => `"${c.name}"`).join(', ');
}

const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l = '') => out.push(l), err: (l = '') => err.push(l) }, out, err, text: () => [...out, ...err].join('\n') };
};

let server: TestPostgres;
const clients: pg.Client[] = [];
async function connect(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  clients.push(c);
  return c;
}
const password = (url: string) => decodeURIComponent(new URL(url).password);

beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end().catch(() => {})));
  await server?.stop();
});

describe('ice-sso db copy', () => {
  let source: { db: Db; file: string };
  let target: string;
  let run: ReturnType<typeof capture>;
  let status: number;

  beforeAll(async () => {
    source = await seededDeployment();
    target = await server.createDatabase();
    run = capture();
    // small batches: every table of more than 64 rows takes several INSERTs
    status = await dbCopyCommand(['--from', `file:${source.file}`, '--to', target], run.io, { batchRows: 64 });
  });

  it('exits 0 after copying and verifying, and never prints the target password', () => {
    expect(status, run.text()).toBe(EXIT.ok);
    expect(run.text()).not.toContain(password(target));
    expect(run.text()).toContain(':***@127.0.0.1');
  });

  it('seeds rows in every table of db/schema (a table added later needs a row here), and copies each with equal counts', async () => {
    const client = await connect(target);
    for (const table of schemaTables) {
      const n = (source.db.$client.prepare(`SELECT count(*) AS n FROM "${table.name}"`).get() as { n: number }).n;
      expect(n, `${table.name}: the seed has no row in this table`).toBeGreaterThan(0);
      const onPg = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM "${table.name}"`);
      expect(Number(onPg.rows[0]!.n), table.name).toBe(n);
      expect(
        run.out.some((l) => new RegExp(`^  ${table.name}\\s+${n}\\s+${n}$`).test(l)),
        `${table.name} in the summary`,
      ).toBe(true);
    }
  });

  it('copies every row column by column with the exact stored text, integers and IDs', async () => {
    const client = await connect(target);
    for (const table of schemaTables) expect(await postgresRows(client, table), table.name).toEqual(sqliteRows(source.db, table));
  });

  it('leaves audit chains that verify on PostgreSQL with the audit key, from the retention checkpoints, with the heads of the source', async () => {
    const pool = openPostgres(target, { poolSize: 1 });
    try {
      const results = await verifyPostgresChains(pool, auditKey(source.db));
      const heads = chainHeads(source.db);
      for (const r of results) {
        expect(r.firstBroken, r.stream).toBeUndefined();
        expect(r.checkpoint, r.stream).toBeDefined();
        expect(r.verified, r.stream).toBeGreaterThan(0);
        expect(r.head).toEqual(heads.find((h) => h.stream === r.stream));
        expect(run.out.join('\n')).toContain(`=${r.head.seq}:${r.head.hash}`);
      }
      expect(run.out.join('\n')).toMatch(/audit key travels[\s\S]*audit\.key[\s\S]*AUDIT_KEY_FILE/);
    } finally {
      await pool.$client.end();
    }
  });

  it('moves the identity sequences past the copied IDs: an insert after the copy gets a new ID', async () => {
    const client = await connect(target);
    const maxLogin = Number((await client.query<{ m: string }>('SELECT max(id)::text AS m FROM login_events')).rows[0]!.m);
    const inserted = await client.query<{ id: string }>(
      "INSERT INTO login_events (ts, outcome, status, prev_hash, hash) VALUES (1, 'accepted', 200, 'x', 'y') RETURNING id::text AS id",
    );
    expect(Number(inserted.rows[0]!.id)).toBe(maxLogin + 1);
    const attempt = await client.query<{ id: string }>("INSERT INTO sign_in_attempts (scope, key, at) VALUES ('address', 'k', 1) RETURNING id::text AS id");
    const sqliteMax = (source.db.$client.prepare('SELECT max(id) AS m FROM sign_in_attempts').get() as { m: number }).m;
    expect(Number(attempt.rows[0]!.id)).toBeGreaterThan(sqliteMax);
    await client.query('DELETE FROM login_events WHERE id = $1', [inserted.rows[0]!.id]);
    await client.query('DELETE FROM sign_in_attempts WHERE id = $1', [attempt.rows[0]!.id]);
  });

  it('refuses to copy into the same database again: exit 2, the tables that hold rows named, nothing written', async () => {
    const client = await connect(target);
    const before = (await client.query<{ n: string }>('SELECT count(*)::text AS n FROM login_events')).rows[0]!.n;
    const again = capture();
    expect(await dbCopyCommand(['--from', `file:${source.file}`, '--to', target], again.io)).toBe(EXIT.usage);
    expect(again.err.join('\n')).toMatch(/is not empty: .*login_events.*nothing was written/);
    expect(again.text()).not.toContain(password(target));
    expect((await client.query<{ n: string }>('SELECT count(*)::text AS n FROM login_events')).rows[0]!.n).toBe(before);
  });

  it('catches a login event edited on PostgreSQL after the copy, at that event (the PostgreSQL walk can fail)', async () => {
    const client = await connect(target);
    const pool = openPostgres(target, { poolSize: 1 });
    try {
      const { rows } = await client.query<{ id: string }>('SELECT id::text AS id FROM login_events ORDER BY id OFFSET 50 LIMIT 1');
      const id = Number(rows[0]!.id);
      await client.query("UPDATE login_events SET user_agent = coalesce(user_agent, '') || ' ' WHERE id = $1", [id]);
      const r = await verifyPostgresChain(pool, auditKey(source.db), 'login');
      expect(r.firstBroken).toMatchObject({ id, reason: 'hash_mismatch' });
      expect((await verifyPostgresChain(pool, auditKey(source.db), 'change')).firstBroken).toBeUndefined();
    } finally {
      await pool.$client.end();
    }
  });
});

describe('the PostgreSQL chain walk', () => {
  let source: { db: Db; file: string };
  let target: string;
  let pool: ReturnType<typeof openPostgres>;
  let client: pg.Client;

  beforeAll(async () => {
    source = await seededDeployment();
    target = await server.createDatabase();
    expect(await dbCopyCommand(['--from', `file:${source.file}`, '--to', target], capture().io)).toBe(EXIT.ok);
    pool = openPostgres(target, { poolSize: 1 });
    client = await connect(target);
  });
  afterAll(() => pool?.$client.end());

  it('finds a change event removed from the middle (link_mismatch at the next one)', async () => {
    await client.query('BEGIN');
    try {
      const { rows } = await client.query<{ id: string }>('SELECT id::text AS id FROM change_events ORDER BY id OFFSET 3 LIMIT 2');
      await client.query('DELETE FROM change_events WHERE id = $1', [rows[0]!.id]);
      const r = await verifyPostgresChain(drizzle({ client, schema: pgSchema }), auditKey(source.db), 'change');
      expect(r.firstBroken).toMatchObject({ id: Number(rows[1]!.id), reason: 'link_mismatch' });
    } finally {
      await client.query('ROLLBACK');
    }
  });

  it('finds a forged retention checkpoint and a purged event put back', async () => {
    const key = auditKey(source.db);
    await client.query('BEGIN');
    try {
      await client.query(
        "UPDATE audit_checkpoints SET purged_count = purged_count + 1 WHERE stream = 'login' AND id = (SELECT min(id) FROM audit_checkpoints)",
      );
      expect((await verifyPostgresChain(drizzle({ client, schema: pgSchema }), key, 'login')).firstBroken).toMatchObject({ reason: 'checkpoint_invalid' });
    } finally {
      await client.query('ROLLBACK');
    }
    await client.query('BEGIN');
    try {
      await client.query("INSERT INTO login_events (id, ts, outcome, status, prev_hash, hash) VALUES (1, 1, 'accepted', 200, 'x', 'y')");
      expect((await verifyPostgresChain(drizzle({ client, schema: pgSchema }), key, 'login')).firstBroken).toMatchObject({
        id: 1,
        reason: 'purged_event_present',
      });
    } finally {
      await client.query('ROLLBACK');
    }
  });
});

describe('ice-sso db copy, all or nothing', () => {
  async function emptyAfter(url: string): Promise<void> {
    const client = await connect(url);
    for (const table of schemaTables) {
      const r = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM "${table.name}"`);
      expect(r.rows[0]!.n, table.name).toBe('0');
    }
  }

  it('rolls back and exits 1 when a chain does not verify on PostgreSQL (a source event edited before the copy)', async () => {
    const source = await seededDeployment();
    const raw = new Database(source.file);
    const { id } = raw.prepare('SELECT max(id) AS id FROM change_events').get() as { id: number };
    raw.prepare("UPDATE change_events SET comment = 'rewritten' WHERE id = ?").run(id);
    raw.close();
    const target = await server.createDatabase();
    const run = capture();
    expect(await dbCopyCommand(['--from', `file:${source.file}`, '--to', target], run.io)).toBe(EXIT.failure);
    expect(run.err.join('\n')).toContain(`MISMATCH changes chain broken on PostgreSQL at event ${id} (hash_mismatch)`);
    expect(run.err.join('\n')).toContain('rolled back, nothing was written');
    await emptyAfter(target);
  });

  it('rolls back and exits 1 when a stored value cannot be copied unchanged (a blob in a text column), naming where, not the value', async () => {
    const source = await seededDeployment();
    const raw = new Database(source.file);
    raw.prepare("UPDATE users SET display_name = x'00ff' WHERE rowid = (SELECT max(rowid) FROM users)").run();
    raw.close();
    const target = await server.createDatabase();
    const run = capture();
    expect(await dbCopyCommand(['--from', `file:${source.file}`, '--to', target], run.io)).toBe(EXIT.failure);
    expect(run.err.join('\n')).toMatch(/users\.display_name \(rowid \d+\) holds a blob value, which the PostgreSQL column \(text\) cannot hold unchanged/);
    await emptyAfter(target);
  });

  it('refuses a target with a single row in any table, without writing', async () => {
    const source = await seededDeployment();
    const target = await server.createDatabase();
    const db = openPostgres(target, { poolSize: 1 });
    try {
      await applyPostgresMigrations(db);
      await db.insert(pgSchema.discoveryCache).values({ url: 'https://x', body: '{}', fetchedAt: 1 });
    } finally {
      await db.$client.end();
    }
    const run = capture();
    expect(await dbCopyCommand(['--from', `file:${source.file}`, '--to', target], run.io)).toBe(EXIT.usage);
    expect(run.err.join('\n')).toContain('is not empty: discovery_cache already hold rows');
    const client = await connect(target);
    expect((await client.query<{ n: string }>('SELECT count(*)::text AS n FROM users')).rows[0]!.n).toBe('0');
  });
});

describe('ice-sso db copy on the command line', () => {
  it('copies the DATABASE_URL deployment as a user runs it, masks the password, and refuses bad arguments with exit 2', async () => {
    const source = await seededDeployment();
    source.db.$client.close();
    const target = await server.createDatabase();
    const env = { DATABASE_URL: `file:${source.file}` };
    const r = runCli(['db', 'copy', '--to', target], env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Committed:');
    expect(r.stdout + r.stderr).not.toContain(password(target));
    const bad = runCli(['db', 'copy', '--to', 'mysql://u:secret@h/db'], env);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--to must be a postgres:// or postgresql:// URL');
    expect(bad.stderr).not.toContain('secret');
    const missing = runCli(['db', 'copy', '--to', target, '--from', `file:${source.file}.missing`], env);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('does not exist');
  });
});
