import { ZodError } from 'zod';
import crypto from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '@/db/client';
import { tempDbFile } from '@/test/support/tmp';
import { encodeCursor, PageCursorError } from '@/server/lib/paging';
import { explainListUsers, listUsers, MEMBER_DRIVEN_MAX, SEARCH_WINDOW, type ListUsersOptions } from './list-users';
import { seedUser, seedUsersBulk, type BulkUser } from './test-seed';
import { onPostgres } from '@/test/support/test-database';

const BIG = 'b1b1b1b1-0000-4000-8000-000000000001'; // more members than MEMBER_DRIVEN_MAX: checked row by row
const SMALL = '5a5a5a5a-0000-4000-8000-000000000002'; // few members: the scan starts from the memberships
const EMPTY = 'e0e0e0e0-0000-4000-8000-000000000003';
const NAMES = ['Anna Berg', 'Bo Dahl', 'Chen Holm', 'Émile Ångström', 'anna lowercase', 'Zoë Quist', 'Dana Berg'];

let db: Db;

/** The same rows as a plain query: no index hints, no keyset, one ORDER BY. */
function plainIds(o: Omit<ListUsersOptions, 'cursor' | 'limit'>): string[] {
  const where = ['1 = 1'];
  const params: unknown[] = [];
  if (o.status) {
    where.push('status = ?');
    params.push(o.status);
  }
  if (o.groupId) {
    where.push('id IN (SELECT user_id FROM user_groups WHERE group_id = ?)');
    params.push(o.groupId);
  }
  if (o.search?.trim()) {
    where.push('instr(search_text, ?) > 0');
    params.push(o.search.trim().toLowerCase());
  }
  const rows = db.$client.prepare(`SELECT id FROM users WHERE ${where.join(' AND ')} ORDER BY display_name, id`).all(...params) as Array<{ id: string }>;
  return rows.map((r) => r.id);
}

function walk(o: ListUsersOptions): { ids: string[]; pages: number } {
  const ids: string[] = [];
  let cursor: string | null = o.cursor ?? null;
  let pages = 0;
  do {
    const page = listUsers(db, { ...o, cursor });
    ids.push(...page.items.map((u) => u.id));
    cursor = page.nextCursor;
    pages++;
    if (pages > 10_000) throw new Error('paging does not end');
  } while (cursor);
  return { ids, pages };
}

beforeAll(() => {
  db = openDb(tempDbFile());
  // 4,500 users: more than the search window, and a name shared by hundreds (ties on display name)
  const list: BulkUser[] = Array.from({ length: 4500 }, (_, i) => ({
    displayName: i % 97 === 5 ? null : NAMES[i % NAMES.length]!,
    email: `person.${i}@contoso.com`,
    status: i % 13 === 0 ? 'disabled' : 'active',
    groups: [...(i % 2 === 0 ? [BIG] : []), ...(i % 150 === 0 ? [SMALL] : [])],
  }));
  seedUsersBulk(db, list);
  seedUser(db, { displayName: 'Rare Needle', email: 'needle@fabrikam.com', groups: [SMALL] });
  db.$client.prepare('INSERT INTO groups (id, created_at, updated_at) VALUES (?, 0, 0)').run(EMPTY);
}, 60_000);

describe('listUsers', () => {
  it('has the groups the tests rely on', () => {
    expect(plainIds({ groupId: BIG }).length).toBeGreaterThan(MEMBER_DRIVEN_MAX);
    expect(plainIds({ groupId: SMALL }).length).toBeLessThanOrEqual(MEMBER_DRIVEN_MAX);
    expect(plainIds({}).length).toBeGreaterThan(SEARCH_WINDOW);
  });

  const filters: Array<[string, Omit<ListUsersOptions, 'cursor' | 'limit'>]> = [
    ['no filter', {}],
    ['disabled users', { status: 'disabled' }],
    ['active users', { status: 'active' }],
    ['a large group', { groupId: BIG }],
    ['a small group', { groupId: SMALL }],
    ['a large group and a status', { groupId: BIG, status: 'disabled' }],
    ['a small group and a status', { groupId: SMALL, status: 'active' }],
    ['a group without members', { groupId: EMPTY }],
    ['a common search', { search: 'anna' }],
    ['a search in upper case', { search: '  ANNA ' }],
    ['a non-ASCII search in other case', { search: 'ÅNGSTRÖM' }],
    ['a rare search (beyond the search window)', { search: 'needle' }],
    ['a search by e-mail domain', { search: '@fabrikam.com' }],
    ['a search that matches nobody', { search: 'zzqx' }],
    ['a search and a large group', { search: 'berg', groupId: BIG }],
    ['a search, a status and a large group', { search: 'berg', groupId: BIG, status: 'active' }],
    ['a search and a small group', { search: 'needle', groupId: SMALL }],
  ];

  it.each(filters)('pages through %s returning the rows of a plain query, in order, once each', (_, filter) => {
    const expected = plainIds(filter);
    for (const limit of [1, 7, 200]) {
      if (limit === 1 && expected.length > 600) continue; // thousands of one-row pages add nothing
      const { ids, pages } = walk({ ...filter, limit });
      expect(ids).toEqual(expected);
      expect(pages).toBe(Math.max(1, Math.ceil(expected.length / limit)));
    }
  });

  it('orders users without a display name first, then by display name and ID (ties broken by ID)', () => {
    const items = walk({ limit: 200 }).ids.map(
      (id) => db.$client.prepare('SELECT display_name AS n, id FROM users WHERE id = ?').get(id) as { n: string | null; id: string },
    );
    const firstNamed = items.findIndex((u) => u.n !== null);
    expect(firstNamed).toBeGreaterThan(0);
    expect(items.slice(firstNamed).every((u) => u.n !== null)).toBe(true);
    for (let i = 1; i < items.length; i++) {
      const [a, b] = [items[i - 1]!, items[i]!];
      if (a.n === b.n) expect(a.id < b.id).toBe(true);
    }
  });

  it('searches the object ID too', () => {
    const user = seedUser(db, { displayName: 'Object Search', objectId: 'c0ffee00-1234-4abc-9def-00000000abcd' });
    expect(listUsers(db, { search: 'C0FFEE00-1234' }).items.map((u) => u.id)).toEqual([user.id]);
  });

  it('returns the profile fields of the list and nothing else', () => {
    const user = seedUser(db, {
      displayName: 'Fields Check',
      email: 'fields@contoso.com',
      username: 'fields@contoso.com',
      groupsOverage: true,
      now: 1_700_000_000_000,
    });
    const [item] = listUsers(db, { search: 'fields@contoso.com' }).items;
    expect(item).toEqual({
      id: user.id,
      tenantId: user.tenantId,
      objectId: user.objectId,
      displayName: 'Fields Check',
      email: 'fields@contoso.com',
      username: 'fields@contoso.com',
      status: 'active',
      groupsOverage: true,
      lastLoginAt: 1_700_000_000_000,
      guest: false,
    });
  });

  it('does not repeat or skip users when users are added between pages', () => {
    const first = listUsers(db, { status: 'disabled', limit: 10 });
    const early = seedUser(db, { displayName: '  sorts before the cursor', status: 'disabled' });
    const late = seedUser(db, { displayName: 'Zzz sorts after the cursor', status: 'disabled' });
    const expected = plainIds({ status: 'disabled' });
    expect(expected.indexOf(early.id)).toBeLessThan(10);
    const rest = walk({ status: 'disabled', limit: 50, cursor: first.nextCursor }).ids;
    expect([...first.items.map((u) => u.id), ...rest]).toEqual(expected.filter((id) => id !== early.id));
    expect(rest).toContain(late.id);
  });

  it('defaults the page size to 50, allows 200 and refuses more (one rule with the audit lists, server/lib/paging.ts)', () => {
    expect(listUsers(db).items).toHaveLength(50);
    expect(listUsers(db, { limit: 200 }).items).toHaveLength(200);
    expect(() => listUsers(db, { limit: 201 })).toThrow(ZodError);
    expect(() => listUsers(db, { limit: 0 })).toThrow(ZodError);
  });

  it('refuses a cursor it did not issue', () => {
    expect(() => listUsers(db, { cursor: 'garbage!' })).toThrow(PageCursorError);
    expect(() => listUsers(db, { cursor: Buffer.from('["u1",1]').toString('base64url') })).toThrow(PageCursorError);
    expect(() => listUsers(db, { cursor: encodeCursor('groups', { displayName: 'x', id: 'y' }) })).toThrow(PageCursorError);
  });

  // SQLite's query planner (PostgreSQL plans for itself: docs/decisions.md, "PostgreSQL at run time")
  it.skipIf(onPostgres)('reads the non-search paths through indexes, never a scan of the users table', () => {
    const cases: Array<[Omit<ListUsersOptions, 'cursor' | 'limit' | 'search'>, RegExp]> = [
      [{}, /users_display_name_idx/],
      [{ status: 'disabled' }, /users_status_idx/],
      [{ groupId: BIG }, /users_display_name_idx/],
      [{ groupId: SMALL }, /user_groups_group_idx/],
      [{ groupId: BIG, status: 'active' }, /users_status_idx/],
    ];
    for (const [options, index] of cases) {
      for (const withCursor of [false, true]) {
        const plan = explainListUsers(db, options, withCursor);
        expect(plan.join('\n')).toMatch(index);
        for (const step of plan) expect(step).not.toMatch(/^SCAN (u|m|g)( |$)(?!.*USING)/);
        if (options.groupId === BIG) expect(plan.join('\n')).toMatch(/COVERING INDEX sqlite_autoindex_user_groups_1/);
      }
    }
  });
});

describe('a user added through the login path', () => {
  it('is found by name, e-mail and user name', () => {
    const objectId = crypto.randomUUID();
    const user = seedUser(db, { displayName: 'Ingrid Virtanen', email: 'ingrid.v@contoso.com', username: 'iv@contoso.onmicrosoft.com', objectId });
    for (const search of ['ingrid vir', 'INGRID.V@', 'iv@contoso.onmicrosoft', objectId.slice(0, 13)]) {
      expect(listUsers(db, { search }).items.map((u) => u.id)).toEqual([user.id]);
    }
  });
});
