import { desc, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_GROUPS, GROUP_IDS } from '@/dev-entra';
import { openDb } from '@/db/client';
import { loginEvents, loginRefusalWindows, userGroups, users } from '@/db/schema';
import { LoginRefusedError } from '@/server/entra/errors';
import { clearGraphCredential, setGraphClientSecret } from '@/server/settings/graph-credential';
import { updateSettings } from '@/server/settings/service';
import { saveLoginSettings, useValidatorFixture } from '@/test/support/validator-fixture';
import { freshProcessState } from '@/test/support/process-state';
import { tempDbFile } from '@/test/support/tmp';
import { loginWithToken } from './login';

const cli = { kind: 'cli', name: 'test' } as const;
const WRONG_SECRET = 'Wrong8Q~this-is-not-the-secret-of-the-app0';
let ipSeq = 0;
const nextIp = () => `198.51.100.${++ipSeq}`;

/**
 * loginWithToken in this process (so that mutation testing sees it): groups overage with and
 * without Microsoft Graph, and the faults a login can meet. server/graph/overage-login.test.ts
 * and server/http/login-groups.test.ts prove the same through the real server.
 */
describe('loginWithToken on groups overage', () => {
  const f = useValidatorFixture();
  const configure = (patch: Record<string, unknown> = {}) => saveLoginSettings(f, { graphHost: f.entra.graphHost, ...patch });
  const olivia = () => f.db.select().from(users).where(eq(users.objectId, f.entra.users.overage.oid)).get()!;
  const membershipsOfOlivia = () =>
    f.db
      .select({ id: userGroups.groupId })
      .from(userGroups)
      .where(eq(userGroups.userId, olivia().id))
      .all()
      .map((m) => m.id)
      .sort();
  const lastEvent = () => f.db.select().from(loginEvents).orderBy(desc(loginEvents.id)).limit(1).get()!;
  const login = async (opts: Parameters<typeof f.entra.mintAccessToken>[0] = { user: 'overage' }) =>
    loginWithToken(f.db, { token: await f.entra.mintAccessToken(opts), ip: nextIp(), userAgent: null });
  const refusal = async (opts: Parameters<typeof f.entra.mintAccessToken>[0] = { user: 'overage' }) => {
    try {
      await login(opts);
    } catch (err) {
      if (err instanceof LoginRefusedError) return err;
      throw err;
    }
    throw new Error('the login was accepted');
  };
  const graphCalls = () => f.entra.counters().graph['users.transitiveMemberOf'] ?? 0;

  it('takes a listed token’s groups from the token and flags the user as not overage', async () => {
    configure();
    clearGraphCredential(f.db, 'graphClientSecret', cli);
    const r = await login({ user: 'overage', groups: [GROUP_IDS.dispatch] });
    expect(r.user.groups.map((g) => g.id)).toEqual([GROUP_IDS.dispatch]);
    expect(olivia()).toMatchObject({ groupsOverage: false, groupsSource: 'token' });
    expect(lastEvent()).toMatchObject({ outcome: 'accepted', groupsSource: 'token' });
  });

  it('without Graph: keeps the stored memberships, flags the user as overage and records the groups as unresolved', async () => {
    configure();
    clearGraphCredential(f.db, 'graphClientSecret', cli);
    f.entra.clearCounters();
    const r = await login();
    expect(r.user.groups.map((g) => g.id)).toEqual([GROUP_IDS.dispatch]);
    expect(membershipsOfOlivia()).toEqual([GROUP_IDS.dispatch]);
    expect(olivia()).toMatchObject({ groupsOverage: true, groupsSource: 'unresolved' });
    expect(lastEvent()).toMatchObject({ outcome: 'accepted', groupsSource: 'unresolved' });
    expect(graphCalls()).toBe(0);
  });

  it('without Graph and with a required group: refuses groups_unresolved (403) naming why, with no Retry-After, the stored memberships notwithstanding', async () => {
    configure({ requiredGroupIds: [GROUP_IDS.dispatch] });
    clearGraphCredential(f.db, 'graphClientSecret', cli);
    const r = await refusal();
    expect([r.reason, r.status, r.retryAfterSeconds]).toEqual(['groups_unresolved', 403, undefined]);
    expect(r.detail).toEqual(expect.any(String));
    expect(r.detail!.length).toBeGreaterThan(0);
    expect(lastEvent()).toMatchObject({ outcome: 'refused', reason: 'groups_unresolved', groupsSource: 'unresolved' });
    expect(membershipsOfOlivia()).toEqual([GROUP_IDS.dispatch]);
  });

  it('with neither import nor a required group: accepts without asking Graph and leaves the user’s flag and memberships as they were', async () => {
    configure({ importUserGroups: false });
    setGraphClientSecret(f.db, f.entra.clientSecret, cli);
    f.entra.clearCounters();
    const before = olivia();
    await login();
    expect(graphCalls()).toBe(0);
    expect(olivia()).toMatchObject({ groupsOverage: before.groupsOverage, groupsSource: before.groupsSource });
    expect(membershipsOfOlivia()).toEqual([GROUP_IDS.dispatch]);
    expect(lastEvent()).toMatchObject({ outcome: 'accepted', groupsSource: 'unresolved' });
  });

  it('with Graph: the groups come from Graph, replace the stored ones, and the user is not flagged', async () => {
    configure();
    setGraphClientSecret(f.db, f.entra.clientSecret, cli);
    f.entra.clearCounters();
    const r = await login();
    const expected = DEMO_GROUPS.filter((g) => g.id === GROUP_IDS.dispatch || g.displayName.startsWith('Project')).map((g) => g.id);
    expect(r.user.groups.map((g) => g.id).sort()).toEqual([...expected].sort());
    expect(membershipsOfOlivia()).toEqual([...expected].sort());
    expect(olivia()).toMatchObject({ groupsOverage: false, groupsSource: 'graph' });
    expect(lastEvent()).toMatchObject({ outcome: 'accepted', groupsSource: 'graph' });
    expect(graphCalls()).toBe(1);
  });

  it('with Graph failing and a required group: refuses groups_unresolved with a Retry-After and a reason that never shows the secret', async () => {
    configure({ requiredGroupIds: [GROUP_IDS.dispatch] });
    setGraphClientSecret(f.db, WRONG_SECRET, cli);
    const r = await refusal();
    expect([r.reason, r.status]).toEqual(['groups_unresolved', 403]);
    expect(r.retryAfterSeconds).toBeGreaterThan(0);
    expect(r.detail).toEqual(expect.any(String));
    expect(r.detail).not.toContain(WRONG_SECRET);
    expect(lastEvent()).toMatchObject({ reason: 'groups_unresolved', groupsSource: 'unresolved' });
    configure();
    setGraphClientSecret(f.db, f.entra.clientSecret, cli);
  });
});

describe('loginWithToken when the database fails', () => {
  const f = useValidatorFixture();
  // the outage this opens is process-wide: the files after this one must not inherit it
  afterAll(() => freshProcessState());
  const setUp = () => {
    const db = openDb(tempDbFile());
    updateSettings(db, { cloud: 'custom', authorityHost: f.entra.authorityHost, tenantId: f.entra.tenantId, clientId: f.entra.clientId, enabled: true }, cli);
    return db;
  };
  const attempt = async (db: ReturnType<typeof setUp>, ip: string) => {
    try {
      await loginWithToken(db, { token: await f.entra.mintAccessToken({ user: 'mfa' }), ip, userAgent: null });
      return null;
    } catch (err) {
      if (err instanceof LoginRefusedError) return err;
      throw err;
    }
  };

  it('answers an unexpected failure inside the login as server_error (500), records it so, and does not count it against the address', async () => {
    const db = setUp();
    expect(await attempt(db, '192.0.2.50')).toBeNull();
    // a broken schema: not a database outage, a fault of the server
    db.$client.exec('DROP TABLE sessions');
    for (let i = 0; i < 3; i++) {
      const r = await attempt(db, '192.0.2.51');
      expect([r?.reason, r?.status]).toEqual(['server_error', 500]);
    }
    const last = db.select().from(loginEvents).orderBy(desc(loginEvents.id)).limit(1).get()!;
    expect(last).toMatchObject({ outcome: 'refused', reason: 'server_error', status: 500, ip: '192.0.2.51', objectId: f.entra.users.mfa.oid });
    expect(db.select().from(loginRefusalWindows).all()).toEqual([]);
    db.$client.close();
  });

  it('answers database_unavailable (503, Retry-After 5) when the database cannot be used, and writes no row', async () => {
    const db = setUp();
    expect(await attempt(db, '192.0.2.60')).toBeNull();
    db.$client.close();
    const r = await attempt(db, '192.0.2.61');
    expect([r?.reason, r?.status, r?.retryAfterSeconds]).toEqual(['database_unavailable', 503, 5]);
  });
});
