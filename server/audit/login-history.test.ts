import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { AuditEventNotFoundError } from './errors';
import { PageCursorError } from '@/server/lib/paging';
import { compileLoginFilter, loginEventFilterSchema, type LoginEventFilterInput } from './login-filter';
import { getLoginEvent, listLoginEvents, LOGIN_LIST_COLUMNS } from './login-history';
import { recordLoginEvent } from './logins';
import { explainPage, keysetPage } from './sql';
import { addLoginEvents, addPeople, allLoginRows, BASE, CLIENTS, freshDb, rng, TENANT, type LoginRow, type Person } from './test-fixtures';
import { onPostgres } from '@/test/support/test-database';

const { db } = freshDb();
const people = addPeople(db, rng(1));
addLoginEvents(db, people, 640, { tie: 5 });
// one attempt from an address seen nowhere else, to check which index a combined filter picks
recordLoginEvent(
  db,
  { outcome: 'accepted', reason: null, status: 200, objectId: people[1]!.objectId, userId: people[1]!.userId, ip: '192.0.2.99', amr: ['wia'] },
  BASE + 1000,
);
const all = allLoginRows(db);
const person = (name: string) => people.find((p) => p.username.startsWith(name)) as Person;
const anna = person('anna.berg@');
const mallory = person('mallory');

/** The same filter applied in plain code to every row: what the list must return, in this order. */
function reference(f: LoginEventFilterInput): number[] {
  const parsed = loginEventFilterSchema.parse(f);
  let users: Set<string> | null = null;
  let text: string | null = null;
  if (parsed.user) {
    const q = parsed.user.toLowerCase();
    const inDirectory = people.filter((p) => p.userId && `${p.displayName} ${p.username} ${p.objectId}`.toLowerCase().includes(q));
    const byId = people.filter((p) => p.userId === parsed.user || p.objectId === q);
    if (/^[0-9a-f-]{36}$/.test(q)) users = new Set([q, ...byId.map((p) => p.objectId)]);
    else if (inDirectory.length) users = new Set(inDirectory.map((p) => p.objectId));
    else text = q;
  }
  const match = (r: LoginRow) =>
    (parsed.from === undefined || r.ts >= parsed.from) &&
    (parsed.to === undefined || r.ts < parsed.to) &&
    (parsed.outcome === undefined || r.outcome === parsed.outcome) &&
    (parsed.reason === undefined || r.reason === parsed.reason) &&
    (parsed.userId === undefined || r.userId === parsed.userId) &&
    (users === null || users.has(r.objectId ?? '')) &&
    (text === null || [r.username, r.displayName].some((v) => v?.toLowerCase().includes(text!))) &&
    (parsed.clientAppId === undefined || r.clientAppId === parsed.clientAppId) &&
    (parsed.signInMethod === undefined || r.signInMethod === (parsed.signInMethod === 'none' ? null : parsed.signInMethod)) &&
    (parsed.ip === undefined || r.ip === parsed.ip);
  return all.filter(match).map((r) => r.id);
}

/** Every ID the list returns for a filter, page by page. */
function walk(f: LoginEventFilterInput, limit: number): { ids: number[]; pages: number } {
  const ids: number[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: ReturnType<typeof listLoginEvents> = listLoginEvents(db, f, { cursor, limit });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    ids.push(...page.items.map((i) => i.id));
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 1000);
  return { ids, pages };
}

const filters: Array<[string, LoginEventFilterInput]> = [
  ['no filter', {}],
  ['refused', { outcome: 'refused' }],
  ['accepted', { outcome: 'accepted' }],
  ['a reason', { reason: 'group_required' }],
  ['a user ID', { userId: anna.userId! }],
  ['a user name typed in part', { user: 'anna.berg@' }],
  ['a display name shared by two people', { user: 'Anna Berg' }],
  ['an object ID', { user: anna.objectId }],
  ['a user ID typed as text', { user: anna.userId! }],
  ['a name only the history knows', { user: 'MALLORY' }],
  ['a non-ASCII name', { user: 'Zoë Å' }],
  ['a client app', { clientAppId: CLIENTS[1]! }],
  ['Seamless SSO', { signInMethod: 'wia' }],
  ['MFA', { signInMethod: 'mfa' }],
  ['method not reported', { signInMethod: 'none' }],
  ['an IP address', { ip: '10.0.0.2' }],
  ['a time range in ms', { from: BASE + 3_600_000, to: BASE + 7_200_000 }],
  ['a time range in ISO 8601', { from: '2026-11-01T01:00:00Z', to: '2026-11-01T03:00:00.000+01:00' }],
  ['a whole day as a date', { from: '2026-11-01', to: '2026-11-01' }],
  ['refused sign-ins of one user', { outcome: 'refused', user: 'anna.berg@' }],
  ['refused Seamless SSO from one address', { outcome: 'refused', signInMethod: 'wia', ip: '10.0.0.3' }],
  ['a client, a reason and a time range', { clientAppId: CLIENTS[0]!, reason: 'token_expired', from: BASE + 1_800_000 }],
  ['a user and a method not reported', { userId: anna.userId!, signInMethod: 'none' }],
  ['nothing matches', { ip: '198.51.100.1' }],
];

describe('login history list', () => {
  it('has enough data: ties in time, refusals, every person', () => {
    expect(all.length).toBe(641);
    expect(new Set(all.map((r) => r.ts)).size).toBeLessThan(200);
    expect(reference({ user: 'MALLORY' }).length).toBeGreaterThan(20);
    expect(mallory.userId).toBeNull();
  });

  it.each(filters)('gives the rows of a plain query, newest first, across pages of 7 with ties in time: %s', (_name, f) => {
    const expected = reference(f);
    const { ids, pages } = walk(f, 7);
    expect(ids).toEqual(expected);
    expect(pages).toBe(Math.max(1, Math.ceil(expected.length / 7)));
    // and the same in one big page, where it fits
    if (expected.length <= 200) expect(walk(f, 200).ids).toEqual(expected);
  });

  it('returns the listed fields with words for the reason and the method, and no chain hashes', () => {
    const { items } = listLoginEvents(db, { outcome: 'refused', reason: 'token_expired' }, { limit: 1 });
    const item = items[0]!;
    expect(Object.keys(item).sort()).toEqual(
      [
        'attempts',
        'clientAppId',
        'displayName',
        'id',
        'ip',
        'lastTs',
        'objectId',
        'outcome',
        'reason',
        'reasonLabel',
        'signInMethod',
        'signInMethodLabel',
        'status',
        'summary',
        'tenantId',
        'tokenVersion',
        'ts',
        'userAgent',
        'userId',
        'username',
      ].sort(),
    );
    expect(item).toMatchObject({ outcome: 'refused', reason: 'token_expired', reasonLabel: 'Token expired', tenantId: TENANT });
    const wia = listLoginEvents(db, { signInMethod: 'wia' }, { limit: 1 }).items[0]!;
    expect(wia.signInMethodLabel).toBe('Windows integrated (Kerberos / Seamless SSO)');
    expect(listLoginEvents(db, { signInMethod: 'none' }, { limit: 1 }).items[0]!.signInMethodLabel).toBe('not reported');
  });

  it('keeps its place when new sign-ins arrive between pages', () => {
    const first = listLoginEvents(db, {}, { limit: 10 });
    recordLoginEvent(db, { outcome: 'accepted', reason: null, status: 200, ip: '10.9.9.9' }, BASE + 10 * 86_400_000);
    const second = listLoginEvents(db, {}, { cursor: first.nextCursor, limit: 10 });
    expect(second.items.map((i) => i.id)).toEqual(all.slice(10, 20).map((r) => r.id));
  });

  it('rejects a cursor it did not issue, a page over 200 rows and unknown filters', () => {
    expect(() => listLoginEvents(db, {}, { cursor: 'bm9wZQ' })).toThrow(PageCursorError);
    expect(() => listLoginEvents(db, {}, { cursor: Buffer.from('["l1",12,"x"]').toString('base64url') })).toThrow(PageCursorError);
    expect(() => listLoginEvents(db, {}, { cursor: Buffer.from('["c1",12,3]').toString('base64url') })).toThrow(PageCursorError);
    expect(() => listLoginEvents(db, {}, { limit: 201 })).toThrow(ZodError);
    expect(() => listLoginEvents(db, { colour: 'red' } as never)).toThrow(ZodError);
    expect(() => listLoginEvents(db, { from: 'last tuesday' })).toThrow(/ISO 8601/);
    expect(() => listLoginEvents(db, { from: '2026-02-30' })).toThrow(ZodError);
    expect(() => listLoginEvents(db, { to: '2026-11-01T10:00:00' })).toThrow(ZodError); // no zone: ambiguous
  });
});

describe('login history queries use an index', () => {
  const expectedIndex: Array<[string, LoginEventFilterInput, string]> = [
    ['no filter', {}, 'login_events_ts_idx'],
    ['time range', { from: BASE }, 'login_events_ts_idx'],
    ['outcome', { outcome: 'refused' }, 'login_events_outcome_ts_idx'],
    ['reason', { reason: 'bad_signature' }, 'login_events_reason_ts_idx'],
    ['user ID', { userId: anna.userId! }, 'login_events_user_ts_idx'],
    ['user text', { user: 'anna.berg@' }, 'login_events_object_ts_idx'],
    ['user text naming two people', { user: 'Anna Berg' }, 'login_events_object_ts_idx'],
    ['text only the history knows', { user: 'mallory' }, 'login_events_ts_idx'],
    ['client app', { clientAppId: CLIENTS[2]! }, 'login_events_client_ts_idx'],
    ['method', { signInMethod: 'pwd' }, 'login_events_method_ts_idx'],
    ['method not reported', { signInMethod: 'none' }, 'login_events_method_ts_idx'],
    ['ip', { ip: '10.0.0.1' }, 'login_events_ip_ts_idx'],
    ['a rare address with a common outcome', { outcome: 'accepted', ip: '192.0.2.99' }, 'login_events_ip_ts_idx'],
    ['a rare address with a common method', { signInMethod: 'wia', ip: '192.0.2.99', from: BASE }, 'login_events_ip_ts_idx'],
  ];

  // SQLite's query planner (PostgreSQL plans for itself: docs/decisions.md, "PostgreSQL at run time")
  it.skipIf(onPostgres).each(expectedIndex)('%s: searches %s, never scans the table', (_name, f, index) => {
    const compiled = compileLoginFilter(db, loginEventFilterSchema.parse(f));
    expect(compiled.index).toBe(index);
    for (const withCursor of [false, true]) {
      const plan = explainPage(db, 'login_events', LOGIN_LIST_COLUMNS, compiled, withCursor).join('\n');
      // SCAN ... USING INDEX (no filter at all) walks the ts index in page order and stops at the page's end
      expect(plan).toMatch(new RegExp(`(SEARCH|SCAN) login_events USING (COVERING )?INDEX ${index}`));
      expect(plan).not.toMatch(/SCAN login_events(?! USING)/);
      // one value of the driving column: the index order is the page order, nothing to sort
      if (!(f.user === 'Anna Berg')) expect(plan).not.toMatch(/TEMP B-TREE/);
    }
  });
});

describe('the scan window of combined filters', () => {
  const combos: LoginEventFilterInput[] = [
    { outcome: 'refused', signInMethod: 'wia', ip: '10.0.0.3' },
    { clientAppId: CLIENTS[0]!, reason: 'token_expired' },
    { user: 'mallory', outcome: 'accepted' },
    { ip: '10.0.0.4', signInMethod: 'none' },
  ];

  it.each(combos)('reads at most a window of the index per page and still returns exactly the rows: %j', (f) => {
    const compiled = compileLoginFilter(db, loginEventFilterSchema.parse(f));
    expect(compiled.residual).toBeDefined();
    for (const scanLimit of [1, 3, 25]) {
      const ids: number[] = [];
      let after = null;
      let shortPages = 0;
      let pages = 0;
      do {
        const page: ReturnType<typeof keysetPage<{ id: number; ts: number }>> = keysetPage(db, 'login_events', 'id, ts', compiled, after, 4, { scanLimit });
        ids.push(...page.rows.map((r) => r.id));
        if (page.searchedBackTo !== null) {
          shortPages++;
          expect(page.next?.ts).toBe(page.searchedBackTo);
        }
        after = page.next;
        pages++;
      } while (after && pages < 10_000);
      expect(ids).toEqual(reference(f));
      if (scanLimit === 1) expect(shortPages).toBeGreaterThan(0);
    }
  });

  it('does not cut pages short when one index answers the whole filter', () => {
    const page = listLoginEvents(db, { outcome: 'refused', from: BASE }, { limit: 5 });
    expect(page.items).toHaveLength(5);
    expect(page.searchedBackTo).toBeNull();
  });
});

describe('login event detail', () => {
  it('has every field, amr as a list, and the chain hashes only when asked', () => {
    const row = all.find((r) => r.amr === '["pwd","mfa"]')!;
    const detail = getLoginEvent(db, row.id);
    expect(detail).toMatchObject({ id: row.id, amr: ['pwd', 'mfa'], signInMethod: 'mfa', signInMethodLabel: 'Multi-factor authentication', uti: row.uti });
    expect(detail).not.toHaveProperty('hash');
    expect(getLoginEvent(db, row.id, { includeChain: true })).toMatchObject({ hash: row.hash, prevHash: row.prevHash });
    expect(() => getLoginEvent(db, 999_999)).toThrow(AuditEventNotFoundError);
  });
});
