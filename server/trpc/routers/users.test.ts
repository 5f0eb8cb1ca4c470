import { beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '@/db/client';
import { changeEvents } from '@/db/schema';
import { lookupSession } from '@/server/sessions/sessions';
import { seedLogin, seedSession, seedUser } from '@/server/directory/test-seed';
import { tempDbFile } from '@/test/support/tmp';
import { callerFor, testActors } from '../test-contexts';

const GROUP = 'abcdef01-0000-4000-8000-000000000001';
let db: Db;

beforeAll(() => {
  db = openDb(tempDbFile());
  for (let i = 0; i < 30; i++)
    seedUser(db, {
      displayName: `Person ${String(i).padStart(2, '0')}`,
      email: `p${i}@contoso.com`,
      groups: i % 3 === 0 ? [GROUP] : [],
      status: i % 10 === 9 ? 'disabled' : 'active',
    });
});

describe('users.list', () => {
  it('pages with the cursor it returns, filtered by search, status and group', async () => {
    const auditor = callerFor(db, 'auditor');
    const first = await auditor.users.list({ limit: 20 });
    expect(first.items).toHaveLength(20);
    const second = await auditor.users.list({ limit: 20, cursor: first.nextCursor });
    expect(second.nextCursor).toBeNull();
    expect(new Set([...first.items, ...second.items].map((u) => u.id)).size).toBe(30);
    expect((await auditor.users.list({ status: 'disabled' })).items.map((u) => u.displayName)).toEqual(['Person 09', 'Person 19', 'Person 29']);
    expect((await auditor.users.list({ groupId: GROUP.toUpperCase() })).items).toHaveLength(10);
    expect((await auditor.users.list({ search: 'P1@CONTOSO' })).items.map((u) => u.email)).toEqual(['p1@contoso.com']);
    expect((await auditor.users.list()).items).toHaveLength(30);
  });

  it('gives the total of users matching the filter, all pages together', async () => {
    const auditor = callerFor(db, 'auditor');
    expect((await auditor.users.list({ limit: 5 })).total).toBe(30);
    expect((await auditor.users.list({ status: 'disabled' })).total).toBe(3);
    expect((await auditor.users.list({ groupId: GROUP, limit: 2 })).total).toBe(10);
    expect((await auditor.users.list({ search: 'person 1' })).total).toBe(10);
    expect((await auditor.users.list({ search: 'person 1', status: 'disabled' })).total).toBe(1);
  });

  it('returns only the list fields', async () => {
    const [item] = (await callerFor(db, 'auditor').users.list({ limit: 1 })).items;
    expect(Object.keys(item!).sort()).toEqual([
      'displayName',
      'email',
      'groupsOverage',
      'guest',
      'id',
      'lastLoginAt',
      'objectId',
      'status',
      'tenantId',
      'username',
    ]);
  });

  it('answers BAD_REQUEST, naming the field, for a cursor it did not issue, a group ID that is not a GUID or a page too large', async () => {
    const auditor = callerFor(db, 'auditor');
    for (const [input, field] of [
      [{ cursor: 'bm90LWEtY3Vyc29y' }, 'cursor'],
      [{ groupId: 'sales' }, 'groupId'],
      [{ limit: 500 }, 'limit'],
      [{ sort: 'email' }, ''],
    ] as const) {
      const err = await auditor.users.list(input as never).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'BAD_REQUEST' });
      if (field) expect(JSON.stringify((err as { cause: { issues: unknown } }).cause.issues)).toContain(field);
    }
  });
});

describe('users.get', () => {
  it('shows the detail without token hashes', async () => {
    const user = seedUser(db, { displayName: 'Detail Person', groups: [GROUP] });
    seedSession(db, user.id);
    seedLogin(db, { userId: user.id });
    const detail = await callerFor(db, 'auditor').users.get({ id: user.id });
    expect(detail).toMatchObject({
      id: user.id,
      displayName: 'Detail Person',
      groups: [{ id: GROUP }],
      sessions: [{ clientAppId: 'client-app' }],
      signIns: [{ outcome: 'accepted' }],
    });
    expect(Object.keys(detail.sessions[0]!).sort()).toEqual(['clientAppId', 'createdAt', 'expiresAt', 'id', 'ip', 'userAgent']);
    expect(Object.keys(detail.signIns[0]!)).not.toContain('hash');
  });

  it('answers NOT_FOUND for an unknown user ID', async () => {
    await expect(callerFor(db, 'admin').users.get({ id: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'User 00000000-0000-4000-8000-000000000000 does not exist.',
    });
    await expect(callerFor(db, 'admin').users.setStatus({ id: 'missing', status: 'disabled' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('users.setStatus', () => {
  it('disables with the calling admin as the author of the change, revoking sessions', async () => {
    const user = seedUser(db, { displayName: 'To Disable' });
    const session = seedSession(db, user.id);
    const result = await callerFor(db, 'admin').users.setStatus({ id: user.id, status: 'disabled', comment: 'lost phone' });
    expect(result).toEqual({ id: user.id, status: 'disabled', changed: true, sessionsRevoked: 1 });
    expect(lookupSession(db, session.token)).toMatchObject({ ok: false, reason: 'session_revoked' });
    expect(db.select().from(changeEvents).all().at(-1)).toMatchObject({
      action: 'user.disable',
      targetId: user.id,
      actor: testActors.admin.name,
      actorKind: 'entra',
      ip: '127.0.0.1',
      comment: 'lost phone',
    });
    expect(await callerFor(db, 'localAdmin').users.setStatus({ id: user.id, status: 'active' })).toMatchObject({ changed: true });
    expect(db.select().from(changeEvents).all().at(-1)).toMatchObject({ action: 'user.enable', actor: 'breakglass', actorKind: 'local' });
  });

  it('refuses to let an admin disable their own account unless they confirm it, and tells them it is theirs', async () => {
    const [tenantId, objectId] = testActors.admin.id.split(':') as [string, string];
    const self = seedUser(db, { displayName: 'Ada Admin', tenantId, objectId });
    expect((await callerFor(db, 'admin').users.get({ id: self.id })).isYou).toBe(true);
    expect((await callerFor(db, 'auditor').users.get({ id: self.id })).isYou).toBe(false);
    await expect(callerFor(db, 'admin').users.setStatus({ id: self.id, status: 'disabled' })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: expect.stringMatching(/^This is your own account/),
    });
    expect((await callerFor(db, 'auditor').users.get({ id: self.id })).status).toBe('active');
    const done = await callerFor(db, 'admin').users.setStatus({ id: self.id, status: 'disabled', confirmSelf: true });
    expect(done).toMatchObject({ status: 'disabled', changed: true });
  });
});
