import { describe, expect, it } from 'vitest';
import { openDb } from '@/db/client';
import { revokeSession } from '@/server/sessions/sessions';
import { tempDbFile } from '@/test/support/tmp';
import { UserNotFoundError } from './errors';
import { seedLogin, seedSession, seedUser } from './test-seed';
import { getUserDetail, USER_SIGN_INS_SHOWN } from './user-detail';
import { updateGroup } from './update-group';

const G1 = '0a0a0a0a-0000-4000-8000-000000000001';
const G2 = '0b0b0b0b-0000-4000-8000-000000000002';

describe('getUserDetail', () => {
  it('shows profile, named groups, active sessions without token hashes, the last 20 sign-ins and the claim snapshot', () => {
    const db = openDb(tempDbFile());
    const now = Date.now();
    const user = seedUser(db, {
      displayName: 'Anna Berg',
      email: 'anna@contoso.com',
      username: 'anna@contoso.com',
      groups: [G1, G2],
      amr: ['pwd', 'mfa'],
      groupsOverage: true,
      now,
    });
    const other = seedUser(db, { displayName: 'Bo Dahl' });
    updateGroup(db, G2, { displayName: 'Dispatch', assignmentGroup: 'Dispatchers' }, { kind: 'cli', name: 'cli' });
    const open = seedSession(db, user.id);
    const revoked = seedSession(db, user.id);
    revokeSession(db, revoked.id, 'logout');
    seedSession(db, user.id, { now: now - 2 * 3600_000, lifetimeMinutes: 60 });
    for (let i = 0; i < 25; i++) seedLogin(db, { userId: user.id, ts: now - (25 - i) * 1000, amr: i % 2 ? ['wia'] : null, ip: `10.0.0.${i}` });
    seedLogin(db, { userId: user.id, ts: now - 500, outcome: 'refused', reason: 'token_expired', status: 401 });
    seedLogin(db, { userId: other.id, ts: now });

    const detail = getUserDetail(db, user.id);

    expect(detail).toMatchObject({
      id: user.id,
      displayName: 'Anna Berg',
      email: 'anna@contoso.com',
      username: 'anna@contoso.com',
      status: 'active',
      groupsOverage: true,
      lastAuthMethods: ['pwd', 'mfa'],
      lastLoginAt: now,
    });
    expect(detail.groups).toEqual([
      { id: G2, displayName: 'Dispatch', graphName: null, name: 'Dispatch', assignmentGroup: 'Dispatchers' },
      { id: G1, displayName: null, graphName: null, name: null, assignmentGroup: null },
    ]);
    expect(detail.sessions).toEqual([
      { id: open.id, createdAt: expect.any(Number), expiresAt: open.expiresAt, clientAppId: 'client-app', ip: '10.0.0.1', userAgent: 'ICE-PTT/5.2' },
    ]);
    expect(JSON.stringify(detail)).not.toMatch(/tokenHash|token_hash|searchText|search_text|prevHash|"hash"/);
    expect(detail.signIns).toHaveLength(USER_SIGN_INS_SHOWN);
    expect(detail.signIns[0]).toMatchObject({ outcome: 'refused', reason: 'token_expired', reasonLabel: 'Token expired', status: 401 });
    expect(detail.signIns.every((s) => s.userId === user.id)).toBe(true);
    expect(detail.signIns.map((s) => s.ts)).toEqual([...detail.signIns.map((s) => s.ts)].sort((a, b) => b - a));
    expect(detail.signIns[1]).toMatchObject({ signInMethod: null, signInMethodLabel: 'not reported', ip: '10.0.0.24' });
    expect(detail.signIns[2]).toMatchObject({ signInMethod: 'wia', signInMethodLabel: 'Windows integrated (Kerberos / Seamless SSO)', ip: '10.0.0.23' });
    expect(detail.claims).toMatchObject({ name: 'Anna Berg', tid: user.tenantId, oid: user.objectId, groups: '2 groups' });
    expect(detail.claims).not.toHaveProperty('uti');
    expect(detail.claims).not.toHaveProperty('aio');
  });

  it('refuses an unknown user', () => {
    const db = openDb(tempDbFile());
    expect(() => getUserDetail(db, 'missing')).toThrow(UserNotFoundError);
  });
});
