/**
 * Directory benchmark (not a test): seeds 100,000 users with groups into a temporary SQLite
 * file and prints the time of the console's list queries, and their query plans. Run:
 *   node --require ./scripts/preload.cjs bench/users.ts
 * Options (environment): USERS_BENCH_USERS (default 100000), USERS_BENCH_DB=<file> to keep the
 * seeded database and reuse it on the next run.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDb, type Db } from '@/db/client';
import { searchTextOf } from '@/server/directory/users';
import { encodeCursor } from '@/server/lib/paging';
import { directoryCounts } from '@/server/directory/counts';
import { getUserDetail } from '@/server/directory/user-detail';
import { listGroups } from '@/server/directory/list-groups';
import { explainListUsers, listUsers, MEMBER_DRIVEN_MAX, type ListUsersOptions } from '@/server/directory/list-users';
import { rng } from '@/test/support/random';

const USERS = Number(process.env.USERS_BENCH_USERS ?? 100_000);
const NOW = Date.parse('2026-11-22T12:00:00Z');
const DAY = 86_400_000;
const TENANT = '8eaef023-2b34-4da1-9baa-8bc8c9d6a490';

const rand = rng(7);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const guid = () => {
  const b = Array.from({ length: 16 }, () => Math.floor(rand() * 256));
  const h = b.map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

const FIRST = [
  'Anna',
  'Bo',
  'Chen',
  'Dana',
  'Émile',
  'Farah',
  'Gustav',
  'Hiro',
  'Ines',
  'Jonas',
  'Kaia',
  'Lars',
  'Mia',
  'Noor',
  'Olle',
  'Zoë',
  'Aarav',
  'Beatriz',
  'Carlos',
  'Dmitri',
  'Elin',
  'Fatima',
  'Greta',
  'Hassan',
  'Ingrid',
  'Jamal',
  'Kenji',
  'Leila',
  'Mateo',
  'Nadia',
];
const LAST = [
  'Andersson',
  'Berg',
  'Chowdhury',
  'Dahl',
  'Ekström',
  'Fischer',
  'García',
  'Holm',
  'Ivanova',
  'Ångström',
  'Nakamura',
  'Okafor',
  'Johansson',
  'Karlsson',
  'Lindqvist',
  'Müller',
  'Nilsson',
  'Persson',
  'Quist',
  'Rossi',
  'Svensson',
  'Tanaka',
  'Uddin',
  'Virtanen',
];

/** Group shapes of a real tenant: one all-staff group, regions, departments, small teams. */
interface SeedGroup {
  id: string;
  name: string | null;
  share: number;
}

/** A claim snapshot the size of a real v1 access token's (rows are this wide in production). */
function claimsOf(u: { objectId: string; displayName: string | null; email: string }): Record<string, unknown> {
  const iat = Math.floor((NOW - DAY) / 1000);
  return {
    aud: 'api://6731de76-14a6-49ae-97bc-6eba6914391e',
    iss: `https://sts.windows.net/${TENANT}/`,
    iat,
    nbf: iat,
    exp: iat + 4500,
    acr: '1',
    amr: ['pwd', 'mfa'],
    appid: '2d3b5f2a-9f1c-4c3e-8a51-0c4d1f6b7e21',
    appidacr: '0',
    family_name: 'Doe',
    given_name: 'Jane',
    ipaddr_hint: '203.0.113.10',
    name: u.displayName,
    oid: u.objectId,
    onprem_sid: 'S-1-5-21-1004336348-1177238915-682003330-512',
    scp: 'UserProfile.ReadWrite',
    sub: 'x3Zt1cpY0bUa7Gm8mN7o2v3r0k9q5t1s8u4w6y2z0a',
    tid: TENANT,
    unique_name: u.email,
    upn: u.email,
    ver: '1.0',
    wids: ['b79fbf4d-3ef9-4689-8143-76b194e85509'],
    groups: '5 groups',
  };
}

function seed(db: Db): { groups: SeedGroup[]; sample: { id: string; email: string } } {
  const groups: SeedGroup[] = [
    { id: guid(), name: 'All staff', share: 0.9 },
    ...Array.from({ length: 10 }, (_, i) => ({ id: guid(), name: `Region ${i + 1}`, share: 0.1 })),
    ...Array.from({ length: 50 }, (_, i) => ({ id: guid(), name: i % 5 === 0 ? null : `Department ${i + 1}`, share: 0.02 })),
    ...Array.from({ length: 240 }, (_, i) => ({ id: guid(), name: i % 3 === 0 ? null : `Team ${i + 1}`, share: 0.002 })),
  ];
  const insertGroup = db.$client.prepare('INSERT INTO groups (id, display_name, created_at, updated_at, last_seen_at) VALUES (?, ?, ?, ?, ?)');
  const insertUser = db.$client.prepare(
    'INSERT INTO users (id, tenant_id, object_id, display_name, email, username, search_text, status, claims, created_at, updated_at, last_login_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertMember = db.$client.prepare('INSERT INTO user_groups (user_id, group_id, added_at) VALUES (?, ?, ?)');
  const insertLogin = db.$client.prepare(
    "INSERT INTO login_events (ts, outcome, reason, status, user_id, username, display_name, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, 'bench', 'bench')",
  );
  let sample = { id: '', email: '' };
  db.$client.transaction(() => {
    for (const g of groups) insertGroup.run(g.id, g.name, NOW - 90 * DAY, NOW - 90 * DAY, NOW - DAY);
    const regions = groups.slice(1, 11);
    const departments = groups.slice(11, 61);
    const teams = groups.slice(61);
    for (let i = 0; i < USERS; i++) {
      const first = pick(FIRST);
      const last = pick(LAST);
      const initial = String.fromCharCode(65 + Math.floor(rand() * 26));
      // a few accounts carry no name claim; many share a name (keyset ties on display name)
      const displayName = i % 300 === 7 ? null : `${first} ${initial}. ${last}`;
      const email = `${first}.${last}.${i}@contoso.com`
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase();
      const id = crypto.randomUUID();
      const objectId = guid();
      const status = rand() < 0.02 ? 'disabled' : 'active';
      const claims = JSON.stringify(claimsOf({ objectId, displayName, email }));
      insertUser.run(
        id,
        TENANT,
        objectId,
        displayName,
        email,
        email,
        searchTextOf({ displayName, email, username: email, objectId }),
        status,
        claims,
        NOW - 90 * DAY,
        NOW,
        NOW - Math.floor(rand() * 30 * DAY),
      );
      const mine = new Set<string>();
      if (rand() < 0.9) mine.add(groups[0]!.id);
      mine.add(pick(regions).id);
      mine.add(pick(departments).id);
      mine.add(pick(teams).id);
      if (rand() < 0.5) mine.add(pick(teams).id);
      for (const g of mine) insertMember.run(id, g, NOW - 90 * DAY);
      if (i === Math.floor(USERS / 2)) sample = { id, email };
      if (i % 2 === 0)
        insertLogin.run(
          NOW - Math.floor(rand() * 2 * DAY),
          i % 20 === 0 ? 'refused' : 'accepted',
          i % 20 === 0 ? 'token_expired' : null,
          i % 20 === 0 ? 401 : 200,
          id,
          email,
          displayName,
        );
    }
  })();
  return { groups, sample };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(label: string, fn: () => unknown, runs = 15): number {
  fn(); // warm the statement cache
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  const ms = median(samples);
  console.log(`  ${label.padEnd(58)} ${ms.toFixed(2).padStart(8)} ms`);
  return ms;
}

function main(): void {
  const keep = process.env.USERS_BENCH_DB;
  const dir = keep ? path.dirname(path.resolve(keep)) : fs.mkdtempSync(path.join(os.tmpdir(), 'ice-sso-users-bench-'));
  const file = keep ? path.resolve(keep) : path.join(dir, 'bench.db');
  const fresh = !fs.existsSync(file);
  const db = openDb(file);
  try {
    let groups: SeedGroup[];
    let sample: { id: string; email: string };
    if (fresh || (db.$client.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n === 0) {
      const t0 = performance.now();
      ({ groups, sample } = seed(db));
      console.log(`seeded ${USERS.toLocaleString('en')} users in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } else {
      const rows = db.$client.prepare('SELECT id, display_name AS name FROM groups').all() as Array<{ id: string; name: string | null }>;
      groups = rows.map((g) => ({ id: g.id, name: g.name, share: 0 }));
      const u = db.$client.prepare('SELECT id, email FROM users ORDER BY id LIMIT 1 OFFSET ?').get(Math.floor(USERS / 2)) as { id: string; email: string };
      sample = u;
    }
    const count = (sql: string, ...p: unknown[]) => (db.$client.prepare(sql).get(...p) as { n: number }).n;
    const members = (id: string) => count('SELECT count(*) AS n FROM user_groups WHERE group_id = ?', id);
    const bySize = [...groups].map((g) => ({ ...g, n: members(g.id) })).sort((a, b) => b.n - a.n);
    const huge = bySize[0]!;
    const region = bySize[1]!;
    const department = bySize.find((g) => g.n <= MEMBER_DRIVEN_MAX)!;
    const big = bySize.find((g) => g.n > MEMBER_DRIVEN_MAX && g.n < 3000) ?? bySize[10]!;
    const team = bySize.at(-1)!;
    const users = count('SELECT count(*) AS n FROM users');
    const memberships = count('SELECT count(*) AS n FROM user_groups');
    console.log(`${users.toLocaleString('en')} users, ${groups.length} groups, ${memberships.toLocaleString('en')} memberships\n`);

    const deepCursor = (opts: ListUsersOptions, offset: number) => {
      // the cursor a user would hold after paging to `offset` (built directly, to time one page)
      const where = [
        opts.status ? `status = '${opts.status}'` : '1',
        opts.groupId ? `id IN (SELECT user_id FROM user_groups WHERE group_id = '${opts.groupId}')` : '1',
      ].join(' AND ');
      const row = db.$client
        .prepare(`SELECT display_name AS displayName, id FROM users WHERE ${where} ORDER BY display_name, id LIMIT 1 OFFSET ?`)
        .get(offset) as { displayName: string | null; id: string } | undefined;
      return row ? encodeCursor('users', row) : null;
    };
    const page = (opts: ListUsersOptions) => () => listUsers(db, { limit: 50, ...opts });

    console.log('users.list (50 per page, median of 15):');
    time('first page', page({}));
    time('deep page (after 90,000 users)', page({ cursor: deepCursor({}, 90_000) }));
    time('last page', page({ cursor: deepCursor({}, users - 20) }));
    time("search 'anna' (common)", page({ search: 'anna' }));
    time("search 'ekström' (non-ASCII, common)", page({ search: 'ekström' }));
    time(`search one e-mail (${sample.email})`, page({ search: sample.email }));
    time("search 'zzqx' (no match: full scan)", page({ search: 'zzqx' }));
    time('status disabled, first page', page({ status: 'disabled' }));
    time('status disabled, deep page (after 1,500)', page({ status: 'disabled', cursor: deepCursor({ status: 'disabled' }, 1500) }));
    time('status active, deep page (after 90,000)', page({ status: 'active', cursor: deepCursor({ status: 'active' }, 90_000) }));
    time(`group ${huge.name} (${huge.n.toLocaleString('en')} members), first page`, page({ groupId: huge.id }));
    time(`group ${huge.name}, deep page (after 80,000)`, page({ groupId: huge.id, cursor: deepCursor({ groupId: huge.id }, 80_000) }));
    time(`group ${region.name} (${region.n.toLocaleString('en')} members), first page`, page({ groupId: region.id }));
    time(`group ${region.name}, deep page (after 9,000)`, page({ groupId: region.id, cursor: deepCursor({ groupId: region.id }, 9000) }));
    time(`group ${big.name ?? big.id.slice(0, 8)} (${big.n.toLocaleString('en')} members, index walk)`, page({ groupId: big.id }));
    time(
      `group ${department.name ?? department.id.slice(0, 8)} (${department.n.toLocaleString('en')} members, member-driven)`,
      page({ groupId: department.id }),
    );
    time(`group ${team.name ?? team.id.slice(0, 8)} (${team.n.toLocaleString('en')} members)`, page({ groupId: team.id }));
    time(`group ${region.name} + status disabled`, page({ groupId: region.id, status: 'disabled' }));
    time(`group ${region.name} + search 'anna'`, page({ groupId: region.id, search: 'anna' }));

    const walk = performance.now();
    let pages = 0;
    let cursor: string | null = null;
    let seen = 0;
    do {
      const p = listUsers(db, { limit: 200, cursor });
      seen += p.items.length;
      cursor = p.nextCursor;
      pages++;
    } while (cursor);
    const walkMs = performance.now() - walk;
    console.log(
      `  ${'walk every page (200 per page)'.padEnd(58)} ${walkMs.toFixed(0).padStart(8)} ms total, ${(walkMs / pages).toFixed(2)} ms a page, ${seen.toLocaleString('en')} users`,
    );

    console.log('\nother console reads:');
    time('groups.list first page (50, with member counts)', () => listGroups(db, { limit: 50 }));
    time("groups.list search 'team'", () => listGroups(db, { search: 'team', limit: 50 }));
    time('users.get (detail of one user)', () => getUserDetail(db, sample.id));
    time('overview counts', () => directoryCounts(db, NOW));

    console.log('\nquery plans (named-users segment, with a cursor):');
    const plans: Array<[string, Pick<ListUsersOptions, 'status' | 'groupId'>]> = [
      ['no filter', {}],
      ['status', { status: 'disabled' }],
      [`large group (${huge.n})`, { groupId: huge.id }],
      [`small group (${department.n})`, { groupId: department.id }],
      ['status + small group', { status: 'active', groupId: department.id }],
    ];
    for (const [label, opts] of plans) console.log(`  ${label}:\n    ${explainListUsers(db, opts, true).join('\n    ')}`);
  } finally {
    db.$client.close();
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
