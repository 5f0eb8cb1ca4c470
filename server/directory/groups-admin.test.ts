import { ZodError } from 'zod';
import { describe, expect, it } from 'vitest';
import { openDb, type Db } from '@/db/client';
import { changeEvents } from '@/db/schema';
import type { Actor } from '@/server/audit/changes';
import { tempDbFile } from '@/test/support/tmp';
import { encodeCursor, PageCursorError } from '@/server/lib/paging';
import { GroupNotFoundError } from './errors';
import { getGroupDetail } from './group-detail';
import { listGroups } from './list-groups';
import { seedUser, seedUsersBulk } from './test-seed';
import { updateGroup } from './update-group';

const admin: Actor = { kind: 'local', name: 'breakglass', id: 'local-1', ip: '127.0.0.1' };
const gid = (n: number) => `${n.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;

function seeded(): Db {
  const db = openDb(tempDbFile());
  // group n has n members; half of them named, some with the same name
  seedUsersBulk(
    db,
    Array.from({ length: 30 }, (_, i) => ({
      displayName: `User ${i}`,
      email: `u${i}@contoso.com`,
      status: 'active' as const,
      groups: Array.from({ length: 30 }, (_, n) => n + 1)
        .filter((n) => i < n)
        .map(gid),
    })),
  );
  for (let n = 1; n <= 30; n += 2) updateGroup(db, gid(n), { displayName: n % 3 === 0 ? 'Shared name' : `Group ${String(n).padStart(2, '0')}` }, admin);
  return db;
}

function plainGroups(db: Db): Array<{ id: string; n: number }> {
  return db.$client
    .prepare('SELECT g.id, (SELECT count(*) FROM user_groups WHERE group_id = g.id) AS n FROM groups g ORDER BY g.display_name IS NULL, g.display_name, g.id')
    .all() as Array<{ id: string; n: number }>;
}

describe('listGroups', () => {
  it('pages through named groups first, then unnamed ones, each once, with the right member counts', () => {
    const db = seeded();
    const expected = plainGroups(db);
    for (const limit of [1, 4, 50]) {
      const seen: Array<{ id: string; n: number }> = [];
      let cursor: string | null = null;
      do {
        const page = listGroups(db, { limit, cursor });
        seen.push(...page.items.map((g) => ({ id: g.id, n: g.memberCount })));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(expected);
    }
    const [first] = listGroups(db, { limit: 1 }).items;
    expect(first).toEqual({
      id: gid(1),
      displayName: 'Group 01',
      graphName: null,
      name: 'Group 01',
      assignmentGroup: null,
      memberCount: 1,
      createdAt: expect.any(Number),
      updatedAt: expect.any(Number),
      lastSeenAt: expect.any(Number),
    });
  });

  it('searches display names, assignment groups and object IDs, case-insensitively beyond ASCII', () => {
    const db = seeded();
    updateGroup(db, gid(2), { displayName: 'Ärzte Nord', assignmentGroup: 'Rettungsdienst' }, admin);
    const ids = (search: string) => listGroups(db, { search }).items.map((g) => g.id);
    expect(ids('ärzte')).toEqual([gid(2)]);
    expect(ids('ÄRZTE NORD')).toEqual([gid(2)]);
    expect(ids('rettungs')).toEqual([gid(2)]);
    expect(ids(gid(4).slice(0, 8).toUpperCase())).toEqual([gid(4)]);
    expect(ids('shared')).toHaveLength(5);
    expect(ids('no such group')).toEqual([]);
  });

  it('refuses a cursor of another list', () => {
    const db = seeded();
    expect(() => listGroups(db, { cursor: encodeCursor('users', { displayName: null, id: 'x' }) })).toThrow(PageCursorError);
  });
});

describe('getGroupDetail', () => {
  it('shows the group and pages its members like the users list', () => {
    const db = seeded();
    const first = getGroupDetail(db, gid(30), { limit: 20 });
    expect(first).toMatchObject({ id: gid(30), memberCount: 30, displayName: null });
    expect(first.members.items).toHaveLength(20);
    const second = getGroupDetail(db, gid(30), { limit: 20, cursor: first.members.nextCursor });
    expect(second.members.items).toHaveLength(10);
    expect(second.members.nextCursor).toBeNull();
    expect(new Set([...first.members.items, ...second.members.items].map((u) => u.id)).size).toBe(30);
  });

  it('refuses a group never seen', () => {
    const db = seeded();
    expect(() => getGroupDetail(db, gid(999))).toThrow(GroupNotFoundError);
  });
});

describe('updateGroup', () => {
  it('names a group, trimmed, and records the changed fields before and after', () => {
    const db = openDb(tempDbFile());
    const G = gid(7);
    seedUser(db, { groups: [G] });
    const result = updateGroup(db, G, { displayName: '  Field team  ', assignmentGroup: 'Field' }, admin, 'named after the wiki');
    expect(result).toMatchObject({ changed: true, group: { id: G, displayName: 'Field team', assignmentGroup: 'Field', memberCount: 1 } });
    const [event] = db.select().from(changeEvents).all();
    expect(event).toMatchObject({
      action: 'group.update',
      targetType: 'group',
      targetId: G,
      actor: 'breakglass',
      actorKind: 'local',
      comment: 'named after the wiki',
    });
    expect(JSON.parse(event!.before!)).toEqual({ displayName: null, assignmentGroup: null });
    expect(JSON.parse(event!.after!)).toEqual({ displayName: 'Field team', assignmentGroup: 'Field' });
  });

  it('clears a name given as an empty string, leaves out fields it was not given, and records only what changed', () => {
    const db = openDb(tempDbFile());
    const G = gid(8);
    seedUser(db, { groups: [G] });
    updateGroup(db, G, { displayName: 'Dispatch', assignmentGroup: 'Dispatchers' }, admin);
    const result = updateGroup(db, G, { displayName: '   ' }, admin);
    expect(result.group).toMatchObject({ displayName: null, assignmentGroup: 'Dispatchers' });
    const last = db.select().from(changeEvents).all().at(-1)!;
    expect(JSON.parse(last.before!)).toEqual({ displayName: 'Dispatch' });
    expect(JSON.parse(last.after!)).toEqual({ displayName: null });
  });

  it('records nothing when nothing changes', () => {
    const db = openDb(tempDbFile());
    const G = gid(9);
    seedUser(db, { groups: [G] });
    updateGroup(db, G, { displayName: 'Same' }, admin);
    expect(updateGroup(db, G, { displayName: ' Same ', assignmentGroup: null }, admin).changed).toBe(false);
    expect(updateGroup(db, G, {}, admin).changed).toBe(false);
    expect(db.select().from(changeEvents).all()).toHaveLength(1);
  });

  it('refuses names over 256 characters or with line breaks, and unknown groups, writing nothing', () => {
    const db = openDb(tempDbFile());
    const G = gid(10);
    seedUser(db, { groups: [G] });
    expect(() => updateGroup(db, G, { displayName: 'x'.repeat(257) }, admin)).toThrow(ZodError);
    expect(() => updateGroup(db, G, { assignmentGroup: 'a\nb' }, admin)).toThrow(ZodError);
    expect(updateGroup(db, G, { displayName: ` ${'x'.repeat(256)} ` }, admin).group.displayName).toHaveLength(256);
    expect(() => updateGroup(db, gid(11), { displayName: 'Nobody' }, admin)).toThrow(GroupNotFoundError);
    expect(db.select().from(changeEvents).all()).toHaveLength(1);
  });
});
