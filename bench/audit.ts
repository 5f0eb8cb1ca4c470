/**
 * Audit benchmark (not a test): seeds 1,000,000 login events into a temporary SQLite file and
 * prints the times the audit issue asks about. Run:
 *   node --require ./scripts/preload.cjs bench/audit.ts
 * Options (environment): AUDIT_BENCH_ROWS (default 1000000), AUDIT_BENCH_DB=<file> to keep the
 * seeded database and reuse it on the next run (seeding takes most of the time).
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDb, type Db } from '@/db/client';
import { chainHash, GENESIS_HASH } from '@/server/audit/chain';
import { exportLoginEvents } from '@/server/audit-reports/export';
import { compileLoginFilter } from '@/server/audit/login-filter';
import { listLoginEvents, LOGIN_LIST_COLUMNS, loginEventFilterSchema, type LoginEventFilterInput } from '@/server/audit/login-history';
import { auditKey } from '@/server/audit/key';
import { loginHashFields } from '@/server/audit/logins';
import { primarySignInMethod } from '@/shared/sign-in-methods';
import { explainPage } from '@/server/audit/sql';
import { getLoginStats } from '@/server/audit/stats';
import { verifyAuditChain } from '@/server/audit/verify';
import { rng } from '@/test/support/random';

const ROWS = Number(process.env.AUDIT_BENCH_ROWS ?? 1_000_000);
const DAY = 86_400_000;
const NOW = Date.parse('2026-11-22T12:00:00Z');

const rand = rng(42);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
function weighted<T>(pairs: ReadonlyArray<readonly [T, number]>): () => T {
  const total = pairs.reduce((s, [, w]) => s + w, 0);
  return () => {
    let r = rand() * total;
    for (const [v, w] of pairs) if ((r -= w) < 0) return v;
    return pairs[pairs.length - 1]![0];
  };
}
const guid = () => crypto.randomUUID();

const TENANT = '8eaef023-2b34-4da1-9baa-8bc8c9d6a490';
const CLIENTS = [guid(), guid(), guid(), guid()];
const clientApp = weighted([
  [CLIENTS[0]!, 60],
  [CLIENTS[1]!, 25],
  [CLIENTS[2]!, 10],
  [CLIENTS[3]!, 5],
]);
const NAT_IPS = ['203.0.113.10', '203.0.113.11', '198.51.100.7'];
const FIRST = ['Anna', 'Bo', 'Chen', 'Dana', 'Émile', 'Farah', 'Gustav', 'Hiro', 'Ines', 'Jonas', 'Kaia', 'Lars', 'Mia', 'Noor', 'Olle', 'Zoë'];
const LAST = ['Andersson', 'Berg', 'Chowdhury', 'Dahl', 'Ekström', 'Fischer', 'García', 'Holm', 'Ivanova', 'Ångström', 'Nakamura', 'Okafor'];
const AGENTS = [
  'ICE-PTT/5.2 (Android 15)',
  'ICE-PTT/5.2 (iOS 18.1)',
  'ICE-Desktop/3.1 (Windows NT 10.0)',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131',
];
const reason = weighted([
  ['token_expired', 40],
  ['group_required', 15],
  ['too_many_attempts', 10],
  ['bad_signature', 5],
  ['missing_scope', 5],
  ['audience_mismatch', 5],
  ['client_not_allowed', 5],
  ['token_replayed', 5],
  ['user_disabled', 5],
  ['malformed_token', 5],
] as const);
const v1Amr = weighted<string[]>([
  [['wia'], 55],
  [['pwd'], 20],
  [['pwd', 'mfa'], 15],
  [['ngcmfa'], 5],
  [['fed'], 3],
  [['pwd', 'rsa'], 2],
]);

interface Person {
  userId: string | null;
  objectId: string;
  username: string;
  displayName: string;
  ip: string;
  v1: boolean;
}

function people(count: number): Person[] {
  return Array.from({ length: count }, (_, i) => {
    const first = pick(FIRST);
    const last = pick(LAST);
    return {
      // about 5% never made it into the directory (refused before their first sign-in)
      userId: i % 20 === 19 ? null : guid(),
      objectId: guid(),
      username: `${first}.${last}.${i}@contoso.com`.toLowerCase(),
      displayName: `${first} ${last}`,
      ip: rand() < 0.4 ? pick(NAT_IPS) : `10.${(i >> 8) & 255}.${i & 255}.${1 + (i % 200)}`,
      v1: rand() < 0.7,
    };
  });
}

/** Seeds users and `rows` login events over 30 days, chained exactly as recordLoginEvent chains them. */
export function seed(db: Db, rows: number): void {
  const key = auditKey(db);
  const persons = people(5000);
  const busy = persons.slice(0, 50); // a few people sign in far more often (shared devices)
  const insertUser = db.$client.prepare(
    'INSERT INTO users (id, tenant_id, object_id, display_name, email, username, search_text, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insert = db.$client.prepare(
    'INSERT INTO login_events (ts, outcome, reason, status, tenant_id, object_id, user_id, username, display_name, client_app_id, token_version, amr, sign_in_method, uti, ip, user_agent, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  db.$client.transaction(() => {
    for (const p of persons) {
      if (!p.userId) continue;
      insertUser.run(
        p.userId,
        TENANT,
        p.objectId,
        p.displayName,
        p.username,
        p.username,
        `${p.displayName} ${p.username} ${p.username} ${p.objectId}`.toLowerCase(),
        NOW - 40 * DAY,
        NOW,
      );
    }
  })();
  const start = NOW - 30 * DAY;
  const step = (30 * DAY) / rows;
  let prev = GENESIS_HASH;
  const batch = 20_000;
  for (let done = 0; done < rows;) {
    const n = Math.min(batch, rows - done);
    db.$client.transaction(() => {
      for (let i = 0; i < n; i++, done++) {
        // ~2% share a millisecond with the previous event: keyset paging must handle ties
        const ts = Math.floor(start + done * step - (done % 50 === 1 ? step : 0));
        const p = rand() < 0.3 ? pick(busy) : pick(persons);
        const lastDay = ts > NOW - DAY;
        const refused = rand() < (lastDay ? 0.09 : 0.08);
        let amr: string[] | null = p.v1 ? v1Amr() : null;
        // the last day: the Seamless SSO Kerberos key rollover broke, wia falls back to passwords
        if (lastDay && amr?.[0] === 'wia' && rand() < 0.8) amr = ['pwd'];
        const r = refused ? reason() : null;
        const row = {
          ts,
          outcome: refused ? ('refused' as const) : ('accepted' as const),
          reason: r,
          status: refused ? (r === 'user_disabled' || r === 'group_required' ? 403 : r === 'too_many_attempts' ? 429 : 401) : 200,
          tenantId: TENANT,
          objectId: p.objectId,
          userId: p.userId,
          username: p.username,
          displayName: p.displayName,
          clientAppId: clientApp(),
          tokenVersion: p.v1 ? '1.0' : '2.0',
          amr: amr ? JSON.stringify(amr) : null,
          signInMethod: primarySignInMethod(amr),
          uti: `${done.toString(36)}.${Math.floor(rand() * 2 ** 40).toString(36)}`,
          ip: p.ip,
          userAgent: pick(AGENTS),
          attempts: 1,
          lastTs: null,
        };
        const hash = chainHash(key, prev, loginHashFields(row));
        insert.run(
          row.ts,
          row.outcome,
          row.reason,
          row.status,
          row.tenantId,
          row.objectId,
          row.userId,
          row.username,
          row.displayName,
          row.clientAppId,
          row.tokenVersion,
          row.amr,
          row.signInMethod,
          row.uti,
          row.ip,
          row.userAgent,
          prev,
          hash,
        );
        prev = hash;
      }
    })();
  }
}

// ---------------------------------------------------------------------------------------------

const ms = (t0: number) => performance.now() - t0;
const fmt = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(1));
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

interface Sample {
  id: string;
  userId: string;
  username: string;
  ip: string;
  client: string;
  displayName: string;
}

function samples(db: Db): Sample {
  const q = (sql: string) => db.$client.prepare(sql).get() as Record<string, string>;
  const busy = q('SELECT user_id AS userId, username, display_name AS displayName FROM login_events WHERE user_id IS NOT NULL ORDER BY id DESC LIMIT 1');
  const sparseIp = q("SELECT ip FROM login_events WHERE ip LIKE '10.%' ORDER BY id DESC LIMIT 1");
  const rareClient = q('SELECT client_app_id AS c, count(*) AS n FROM login_events INDEXED BY login_events_client_ts_idx GROUP BY c ORDER BY n LIMIT 1');
  return { id: '', userId: busy.userId!, username: busy.username!, displayName: busy.displayName!, ip: sparseIp.ip!, client: rareClient.c! };
}

function filters(s: Sample): Array<[string, LoginEventFilterInput]> {
  const lastDay = { from: NOW - DAY, to: NOW };
  return [
    ['no filter', {}],
    ['last 24 h', lastDay],
    ['outcome=refused', { outcome: 'refused' }],
    ['reason=group_required', { reason: 'group_required' }],
    ['userId (busy user)', { userId: s.userId }],
    ['user text (user name)', { user: s.username }],
    ['user text (a name ~25 people share)', { user: s.displayName }],
    ['user text (no such person: history scan)', { user: 'nobody-by-this-name' }],
    ['clientAppId (5%)', { clientAppId: s.client }],
    ['signInMethod=wia', { signInMethod: 'wia' }],
    ['signInMethod=none', { signInMethod: 'none' }],
    ['ip (NAT, 13%)', { ip: NAT_IPS[0] }],
    ['ip (one device)', { ip: s.ip }],
    ['refused + user', { outcome: 'refused', user: s.username }],
    ['refused + wia', { outcome: 'refused', signInMethod: 'wia' }],
    ['NAT ip + token_replayed', { ip: NAT_IPS[0], reason: 'token_replayed' }],
    ['client + mfa + refused', { clientAppId: s.client, signInMethod: 'mfa', outcome: 'refused' }],
    ['last 24 h + refused + NAT ip', { ...lastDay, outcome: 'refused', ip: NAT_IPS[1] }],
  ];
}

async function main(): Promise<void> {
  const keep = process.env.AUDIT_BENCH_DB;
  const dir = keep ? path.dirname(path.resolve(keep)) : fs.mkdtempSync(path.join(os.tmpdir(), 'ice-sso-audit-bench-'));
  const file = keep ? path.resolve(keep) : path.join(dir, 'ice-sso.db');
  const reuse = Boolean(keep && fs.existsSync(file));
  const db = openDb(file);
  console.log(reuse ? `\nmeasuring ${file}, node ${process.version}` : `audit bench: seeding ${file}, node ${process.version}`);
  if (!reuse) {
    // bench-only: a crash loses the seed, nothing else
    db.$client.pragma('synchronous = OFF');
    db.$client.pragma('cache_size = -262144');
    const t0 = performance.now();
    seed(db, ROWS);
    db.$client.pragma('synchronous = NORMAL');
    db.$client.pragma('cache_size = -2000');
    db.$client.pragma('wal_checkpoint(TRUNCATE)');
    const s = ms(t0) / 1000;
    console.log(
      `seeded ${ROWS.toLocaleString('en')} login events in ${s.toFixed(1)} s (${Math.round(ROWS / s).toLocaleString('en')} rows/s), file ${mb(fs.statSync(file).size)}`,
    );
    // measure in a fresh process: the seeding's page cache and heap would hide what the export uses
    db.$client.close();
    const child = spawnSync(process.execPath, [...process.execArgv, __filename], { stdio: 'inherit', env: { ...process.env, AUDIT_BENCH_DB: file } });
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
    process.exitCode = child.status ?? 1;
    return;
  }
  // measure with the file in the OS page cache, as on a server that has been running: read it once
  let t0 = performance.now();
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(8 << 20);
  while (fs.readSync(fd, buffer, 0, buffer.length, null) > 0);
  fs.closeSync(fd);
  console.log(`read the database file once into the OS cache: ${(ms(t0) / 1000).toFixed(1)} s (${mb(fs.statSync(file).size)})`);
  const rows = (db.$client.prepare('SELECT count(*) AS n FROM login_events').get() as { n: number }).n;
  const s = samples(db);

  console.log('\nPages of 50, newest first. first = first page; deep = page 51 (after walking 50); index = the index that drives the scan');
  console.log(`${'filter'.padEnd(40)} ${'first ms'.padStart(9)} ${'deep ms'.padStart(9)} ${'max ms'.padStart(9)} ${'rows'.padStart(9)}  index`);
  const all: number[] = [];
  for (const [name, filter] of filters(s)) {
    const times: number[] = [];
    let cursor: string | null = null;
    let first = NaN;
    let deep = NaN;
    let seen = 0;
    for (let page = 0; page <= 50; page++) {
      const t0 = performance.now();
      const result: { items: unknown[]; nextCursor: string | null } = listLoginEvents(db, filter, { cursor, limit: 50 });
      const t = ms(t0);
      times.push(t);
      if (page === 0) first = t;
      if (page === 50) deep = t;
      seen += result.items.length;
      cursor = result.nextCursor;
      if (!cursor) break;
    }
    all.push(...times);
    const compiled = compileLoginFilter(db, loginEventFilterSchema.parse(filter));
    const plan = explainPage(db, 'login_events', LOGIN_LIST_COLUMNS, compiled, true)
      .join('; ')
      .replace(/login_events_|SEARCH login_events USING /g, '');
    console.log(
      `${name.padEnd(40)} ${fmt(first).padStart(9)} ${(Number.isNaN(deep) ? '(end)' : fmt(deep)).padStart(9)} ${fmt(Math.max(...times)).padStart(9)} ${String(seen).padStart(9)}  ${plan}`,
    );
  }
  console.log(
    `filtered page queries: n=${all.length} p50 ${fmt(quantile(all, 0.5))} ms, p99 ${fmt(quantile(all, 0.99))} ms, max ${fmt(Math.max(...all))} ms (goal: < 50 ms)`,
  );

  // the cursor written as a row value, for comparison (docs/platform.md): older SQLite cannot seek with it
  const deepCursor = db.$client
    .prepare("SELECT ts, id FROM login_events INDEXED BY login_events_outcome_ts_idx WHERE outcome = 'accepted' ORDER BY ts DESC, id DESC LIMIT 1 OFFSET ?")
    .get(Math.floor(rows * 0.4)) as { ts: number; id: number };
  const split = db.$client.prepare(
    "SELECT id FROM login_events WHERE outcome = 'accepted' AND ts <= ? AND (ts < ? OR id < ?) ORDER BY ts DESC, id DESC LIMIT 51",
  );
  const rowValue = db.$client.prepare("SELECT id FROM login_events WHERE outcome = 'accepted' AND (ts, id) < (?, ?) ORDER BY ts DESC, id DESC LIMIT 51");
  split.all(deepCursor.ts, deepCursor.ts, deepCursor.id);
  rowValue.all(deepCursor.ts, deepCursor.id);
  t0 = performance.now();
  for (let i = 0; i < 20; i++) split.all(deepCursor.ts, deepCursor.ts, deepCursor.id);
  const tSplit = ms(t0) / 20;
  t0 = performance.now();
  for (let i = 0; i < 20; i++) rowValue.all(deepCursor.ts, deepCursor.id);
  const tRow = ms(t0) / 20;
  const sqliteVersion = (db.$client.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  console.log(
    `outcome=accepted, ${Math.floor(rows * 0.4).toLocaleString('en')} rows deep (SQLite ${sqliteVersion}): cursor "ts <= t AND (ts < t OR id < i)" ${fmt(tSplit)} ms, ` +
      `row value "(ts, id) < (t, i)" ${fmt(tRow)} ms (ratio ${(tRow / tSplit).toFixed(1)})`,
  );

  const statsTimes: number[] = [];
  let stats = getLoginStats(db, NOW);
  for (let i = 0; i < 7; i++) {
    t0 = performance.now();
    stats = getLoginStats(db, NOW);
    statsTimes.push(ms(t0));
  }
  console.log(`\nstats (168 hourly buckets by outcome and method, 24 h windows, warnings): median ${fmt(quantile(statsTimes, 0.5))} ms`);
  const pct = (v: number | null) => (v === null ? '-' : `${(v * 100).toFixed(1)}%`);
  console.log(
    `  Seamless SSO share ${pct(stats.seamlessShare.previous24h)} -> ${pct(stats.seamlessShare.last24h)}, refusal rate ${pct(stats.refusalRate.previous24h)} -> ${pct(stats.refusalRate.last24h)}`,
  );
  for (const w of stats.warnings) console.log(`  [${w.severity}] ${w.code}: ${w.message.slice(0, 140)}...`);

  for (const format of ['csv', 'jsonl'] as const) {
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let rssMax = rssBefore;
    let bytes = 0;
    let chunks = 0;
    const quarters: string[] = [];
    t0 = performance.now();
    for await (const chunk of exportLoginEvents(db, {}, { format })) {
      bytes += Buffer.byteLength(chunk);
      chunks++;
      const quarter = chunks % Math.max(1, Math.round(rows / 4000)) === 0;
      if (chunks % 10 === 0 || quarter) {
        const rss = process.memoryUsage().rss;
        rssMax = Math.max(rssMax, rss);
        if (quarter) quarters.push(mb(rss));
      }
    }
    const seconds = ms(t0) / 1000;
    const rssAfter = process.memoryUsage().rss;
    console.log(
      `\nexport ${format} of all ${rows.toLocaleString('en')} rows: ${seconds.toFixed(1)} s, ${Math.round(rows / seconds).toLocaleString('en')} rows/s, ${mb(bytes)} written (discarded)\n` +
        `  RSS before ${mb(rssBefore)}; at 25/50/75/100%: ${quarters.join(', ')}; peak ${mb(rssMax)}; after ${mb(rssAfter)}`,
    );
  }

  t0 = performance.now();
  const verified = await verifyAuditChain(db, 'login');
  const vs = ms(t0) / 1000;
  console.log(
    `\nverify login chain: ${verified.verified.toLocaleString('en')} events in ${vs.toFixed(1)} s, ${Math.round(verified.verified / vs).toLocaleString('en')} events/s${verified.firstBroken ? `, BROKEN at ${verified.firstBroken.id}` : ', intact'}`,
  );

  db.$client.close();
  if (!keep) fs.rmSync(dir, { recursive: true, force: true });
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
