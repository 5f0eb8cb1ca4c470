import fs from 'node:fs';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_GROUPS, GROUP_IDS } from '@/dev-entra';
import { loginEvents, userGroups, users } from '@/db/schema';
import { clearGraphCredential, setGraphCertificate, setGraphClientSecret } from '@/server/settings/graph-credential';
import { useLoginFixture } from '@/test/support/login-fixture';

const cli = { kind: 'cli' as const, name: 'test' };
const WRONG_SECRET = 'Wrong8Q~this-is-not-the-secret-of-the-app0';

const JWT = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/;

describe('groups overage resolved through Microsoft Graph at sign-in (real server, emulator Graph)', () => {
  const f = useLoginFixture({ entra: { appCertificate: true } });
  const groupIdsOf = async (res: Response) => ((await res.json()).user.groups as { id: string }[]).map((g) => g.id);
  const olivia = () => f.db.select().from(users).where(eq(users.objectId, f.entra.users.overage.oid)).get()!;
  const tokenPath = () => `/${f.entra.tenantId}/oauth2/v2.0/token`;

  beforeAll(async () => {
    await f.setSettings({ graphHost: f.entra.graphHost });
    setGraphClientSecret(f.db, f.entra.clientSecret, cli);
  });

  it('signs Olivia in with all 241 of her groups read from Graph, and records that they came from Graph', async () => {
    const res = await f.login(await f.entra.mintAccessToken({ user: 'overage' }));
    expect(res.status).toBe(200);
    const body = await res.json();
    const expected = DEMO_GROUPS.filter((g) => g.id === GROUP_IDS.dispatch || g.displayName.startsWith('Project')).map((g) => g.id);
    expect(body.user.groups).toHaveLength(241);
    expect(body.user.groups.map((g: { id: string }) => g.id).sort()).toEqual([...expected].sort());
    expect(olivia()).toMatchObject({ groupsSource: 'graph', groupsOverage: false });
    expect(f.lastLoginEvent()).toMatchObject({ outcome: 'accepted', groupsSource: 'graph' });
  });

  it('lets the groups from Graph satisfy required groups, and refuses with group_required when none of them is required', async () => {
    const project = DEMO_GROUPS.find((g) => g.displayName.startsWith('Project'))!.id;
    await f.setSettings({ requiredGroupIds: [project] });
    expect((await f.login(await f.entra.mintAccessToken({ user: 'overage' }))).status).toBe(200);
    await f.setSettings({ requiredGroupIds: [GROUP_IDS.supervisors] });
    const refused = await f.login(await f.entra.mintAccessToken({ user: 'overage' }));
    expect(refused.status).toBe(403);
    expect((await refused.json()).reason).toBe('group_required');
    expect(f.lastLoginEvent()).toMatchObject({ reason: 'group_required', groupsSource: 'graph' });
    await f.setSettings({ requiredGroupIds: [] });
  });

  it('asks Entra for one app token for many sign-ins, concurrent ones included', async () => {
    // setting the secret again makes a new credential: nothing cached for it yet
    setGraphClientSecret(f.db, f.entra.clientSecret, cli);
    f.entra.clearCounters();
    const before = f.entra.countRequests(tokenPath());
    const tokens = await Promise.all(Array.from({ length: 6 }, () => f.entra.mintAccessToken({ user: 'overage' })));
    const first = await Promise.all(tokens.slice(0, 3).map((t) => f.login(t)));
    const then = await Promise.all(tokens.slice(3).map((t) => f.login(t)));
    expect([...first, ...then].map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(f.entra.countRequests(tokenPath()) - before).toBe(1);
    expect(f.entra.counters().tokenGrants).toEqual({ 'client_credentials:client_secret': 1 });
    expect(f.entra.counters().graph['users.transitiveMemberOf']).toBe(6);
  });

  it('drops a membership removed in Entra at the next sign-in', async () => {
    expect(await groupIdsOf(await f.login(await f.entra.mintAccessToken({ user: 'overage' })))).toContain(GROUP_IDS.dispatch);
    f.entra.changeMemberships('overage', { remove: [GROUP_IDS.dispatch] });
    try {
      const ids = await groupIdsOf(await f.login(await f.entra.mintAccessToken({ user: 'overage' })));
      expect(ids).toHaveLength(240);
      expect(ids).not.toContain(GROUP_IDS.dispatch);
      const stored = f.db.select().from(userGroups).where(eq(userGroups.userId, olivia().id)).all();
      expect(stored.map((m) => m.groupId)).not.toContain(GROUP_IDS.dispatch);
    } finally {
      f.entra.changeMemberships('overage', { add: [GROUP_IDS.dispatch] });
    }
  });

  it('honours 429 Retry-After from Graph and then signs in', async () => {
    f.entra.clearCounters();
    f.entra.setGraphFault({ mode: 'throttle', status: 429, retryAfterSeconds: 1, count: 1 });
    const started = Date.now();
    const res = await f.login(await f.entra.mintAccessToken({ user: 'overage' }));
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(await groupIdsOf(res)).toHaveLength(241);
    // one throttled call, then the pages
    expect(f.entra.counters().graph['users.transitiveMemberOf']).toBe(2);
  });

  it('refuses with 403 groups_unresolved and Retry-After while Graph is down, and the stored memberships never stand in', async () => {
    f.entra.setGraphFault({ mode: 'down' });
    try {
      await f.setSettings({ requiredGroupIds: [GROUP_IDS.dispatch] });
      const res = await f.login(await f.entra.mintAccessToken({ user: 'overage' }));
      expect(res.status).toBe(403);
      expect((await res.json()).reason).toBe('groups_unresolved');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(f.lastLoginEvent()).toMatchObject({ reason: 'groups_unresolved', groupsSource: 'unresolved' });
    } finally {
      f.entra.setGraphFault({ mode: 'none' });
      await f.setSettings({ requiredGroupIds: [] });
    }
  });

  it('does not hold a sign-in beyond the time limit when Graph is slow: groups_unresolved with Retry-After within about 3 s', async () => {
    f.entra.setGraphFault({ mode: 'slow', delayMs: 20_000 });
    try {
      const token = await f.entra.mintAccessToken({ user: 'overage' });
      const started = Date.now();
      const res = await f.login(token);
      const elapsed = Date.now() - started;
      expect(res.status).toBe(403);
      expect((await res.json()).reason).toBe('groups_unresolved');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(elapsed).toBeGreaterThan(2_500);
      expect(elapsed).toBeLessThan(4_500);
    } finally {
      f.entra.setGraphFault({ mode: 'none' });
    }
  });

  it('signs in with the certificate credential (a private_key_jwt client assertion), which wins over the secret', async () => {
    const files = f.entra.appCertificate!;
    setGraphCertificate(f.db, { privateKeyPem: fs.readFileSync(files.keyFile, 'utf8'), certificatePem: fs.readFileSync(files.certFile, 'utf8') }, cli);
    f.entra.clearCounters();
    try {
      const res = await f.login(await f.entra.mintAccessToken({ user: 'overage' }));
      expect(res.status).toBe(200);
      expect(await groupIdsOf(res)).toHaveLength(241);
      expect(f.entra.counters().tokenGrants).toEqual({ 'client_credentials:private_key_jwt': 1 });
    } finally {
      clearGraphCredential(f.db, 'graphCertificate', cli);
    }
  });

  it('never writes an app token or the secret to the server log', () => {
    expect(f.server.output()).not.toMatch(JWT);
    expect(f.server.output()).not.toContain(f.entra.clientSecret);
  });

  it('leaves a token that lists its groups off Graph (no token request, no Graph call)', async () => {
    const before = f.entra.countRequests();
    const res = await f.login(await f.entra.mintAccessToken({ user: 'mfa' }));
    expect(res.status).toBe(200);
    expect(f.entra.countRequests() - before).toBe(0);
    expect(f.lastLoginEvent()).toMatchObject({ groupsSource: 'token' });
  });

  it('refuses with 403 groups_unresolved and Retry-After when Entra refuses the secret, and never shows the secret', async () => {
    setGraphClientSecret(f.db, WRONG_SECRET, cli);
    const res = await f.login(await f.entra.mintAccessToken({ user: 'overage' }));
    expect(res.status).toBe(403);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ error: 'access_denied', reason: 'groups_unresolved' });
    expect(text).not.toContain(WRONG_SECRET);
    expect(f.lastLoginEvent()).toMatchObject({ outcome: 'refused', reason: 'groups_unresolved', groupsSource: 'unresolved' });
    expect(f.server.output()).toContain('graph_credential_rejected');
    expect(f.server.output()).not.toContain(WRONG_SECRET);
    expect(f.server.output()).not.toContain(f.entra.clientSecret);
    setGraphClientSecret(f.db, f.entra.clientSecret, cli);
  });

  it('keeps the earlier rule without a credential: an overage token is accepted, flagged, memberships unchanged (no group required)', async () => {
    clearGraphCredential(f.db, 'graphClientSecret', cli);
    const res = await f.login(await f.entra.mintAccessToken({ user: 'overage' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('retry-after')).toBeNull();
    expect(olivia()).toMatchObject({ groupsSource: 'unresolved', groupsOverage: true });
    expect(f.db.select().from(loginEvents).where(eq(loginEvents.id, f.lastLoginEvent()!.id)).get()).toMatchObject({ groupsSource: 'unresolved' });
    setGraphClientSecret(f.db, f.entra.clientSecret, cli);
  });
});
