import { beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '@/db/client';
import { changeEvents } from '@/db/schema';
import { seedUser } from '@/server/directory/test-seed';
import { tempDbFile } from '@/test/support/tmp';
import { callerFor, testActors } from '../test-contexts';

const G1 = 'feed0000-0000-4000-8000-000000000001';
const G2 = 'feed0000-0000-4000-8000-000000000002';
let db: Db;

beforeAll(() => {
  db = openDb(tempDbFile());
  for (let i = 0; i < 5; i++) seedUser(db, { displayName: `Member ${i}`, groups: i < 2 ? [G1, G2] : [G2] });
});

describe('groups', () => {
  it('lists groups with member counts and shows one with a page of members', async () => {
    const auditor = callerFor(db, 'auditor');
    const list = await auditor.groups.list();
    expect(list.items.map((g) => [g.id, g.memberCount])).toEqual([
      [G1, 2],
      [G2, 5],
    ]);
    const detail = await auditor.groups.get({ id: G2.toUpperCase(), limit: 3 });
    expect(detail).toMatchObject({ id: G2, memberCount: 5 });
    expect(detail.members.items.map((u) => u.displayName)).toEqual(['Member 0', 'Member 1', 'Member 2']);
    const rest = await auditor.groups.get({ id: G2, limit: 3, cursor: detail.members.nextCursor });
    expect(rest.members.items.map((u) => u.displayName)).toEqual(['Member 3', 'Member 4']);
  });

  it('lets an admin name a group and map it to an assignment group, recorded with the admin as author', async () => {
    const result = await callerFor(db, 'admin').groups.update({ id: G1, displayName: '  Dispatch ', assignmentGroup: 'Dispatchers', comment: 'per wiki' });
    expect(result).toMatchObject({ changed: true, group: { id: G1, displayName: 'Dispatch', assignmentGroup: 'Dispatchers', memberCount: 2 } });
    const event = db.select().from(changeEvents).all().at(-1)!;
    expect(event).toMatchObject({ action: 'group.update', targetType: 'group', targetId: G1, actor: testActors.admin.name, comment: 'per wiki' });
    expect(JSON.parse(event.after!)).toEqual({ displayName: 'Dispatch', assignmentGroup: 'Dispatchers' });
    expect((await callerFor(db, 'auditor').groups.list({ search: 'dispatchers' })).items.map((g) => g.id)).toEqual([G1]);
  });

  it('answers BAD_REQUEST for a name over 256 characters or an ID that is not a GUID, NOT_FOUND for a group never seen', async () => {
    const admin = callerFor(db, 'admin');
    await expect(admin.groups.update({ id: G1, displayName: 'x'.repeat(257) })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(admin.groups.update({ id: 'not-a-guid', displayName: 'x' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(admin.groups.get({ id: 'feed0000-0000-4000-8000-0000000000ff' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(admin.groups.update({ id: 'feed0000-0000-4000-8000-0000000000ff', displayName: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
