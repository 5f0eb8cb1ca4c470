import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { GROUP_IDS } from '@/dev-entra';
import { groups, userGroups, users } from '@/db/schema';
import { useLoginFixture } from '@/test/support/login-fixture';

describe('group import at sign-in', () => {
  const f = useLoginFixture();
  const membershipsOf = (oid: string) => {
    const user = f.db.select().from(users).where(eq(users.objectId, oid)).get()!;
    return {
      user,
      groups: f.db
        .select()
        .from(userGroups)
        .where(eq(userGroups.userId, user.id))
        .all()
        .map((g) => g.groupId)
        .sort(),
    };
  };

  it("makes the user's memberships exactly the token's groups, creating groups on first sight", async () => {
    const res = await f.login(await f.entra.mintAccessToken({ user: 'mfa' }));
    const body = await res.json();
    expect(body.user.groups.map((g: { id: string }) => g.id).sort()).toEqual([GROUP_IDS.fieldOps, GROUP_IDS.supervisors].sort());
    expect(body.user.groups.every((g: { name: unknown }) => g.name === null)).toBe(true);
    expect(f.db.select().from(groups).where(eq(groups.id, GROUP_IDS.fieldOps)).get()).toBeTruthy();
    // next sign-in with one group fewer
    await f.login(await f.entra.mintAccessToken({ user: 'mfa', groups: [GROUP_IDS.fieldOps] }));
    expect(membershipsOf(f.entra.users.mfa.oid).groups).toEqual([GROUP_IDS.fieldOps]);
  });

  it('returns the names admins gave to groups', async () => {
    f.db.update(groups).set({ displayName: 'Field Ops' }).where(eq(groups.id, GROUP_IDS.fieldOps)).run();
    const body = await (await f.login(await f.entra.mintAccessToken({ user: 'mfa' }))).json();
    expect(body.user.groups).toContainEqual({ id: GROUP_IDS.fieldOps, name: 'Field Ops' });
  });

  it('keeps the previous memberships on overage and flags the user', async () => {
    await f.login(await f.entra.mintAccessToken({ user: 'overage', groups: [GROUP_IDS.dispatch] }));
    const res = await f.login(await f.entra.mintAccessToken({ user: 'overage' }));
    expect(res.status).toBe(200);
    const { user, groups: ids } = membershipsOf(f.entra.users.overage.oid);
    expect(ids).toEqual([GROUP_IDS.dispatch]);
    expect(user.groupsOverage).toBe(true);
  });

  it('refuses an overage token with 403 groups_unresolved when a group is required, even though the stored memberships include it', async () => {
    // an earlier sign-in stored the required group; the user has since been removed from it in Entra and joined 200 more
    await f.login(await f.entra.mintAccessToken({ user: 'overage', groups: [GROUP_IDS.supervisors] }));
    expect(membershipsOf(f.entra.users.overage.oid).groups).toEqual([GROUP_IDS.supervisors]);
    await f.setSettings({ requiredGroupIds: [GROUP_IDS.supervisors] });
    const res = await f.login(await f.entra.mintAccessToken({ user: 'overage' }));
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: 'access_denied', reason: 'groups_unresolved' });
    expect(f.lastLoginEvent()).toMatchObject({ outcome: 'refused', reason: 'groups_unresolved', status: 403 });
    // a token that lists the group still gets in: only unconfirmed memberships are refused
    expect((await f.login(await f.entra.mintAccessToken({ user: 'overage', groups: [GROUP_IDS.supervisors] }))).status).toBe(200);
    await f.setSettings({ requiredGroupIds: [] });
  });

  it('treats hasgroups: true like _claim_names.groups: overage, refused with groups_unresolved when a group is required', async () => {
    await f.setSettings({ requiredGroupIds: [GROUP_IDS.supervisors] });
    const res = await f.login(await f.entra.mintAccessToken({ user: 'mfa', groups: [], claims: { hasgroups: true } }));
    expect(res.status).toBe(403);
    expect((await res.json()).reason).toBe('groups_unresolved');
    await f.setSettings({ requiredGroupIds: [] });
  });

  it('imports only the listed groups when the rules say so', async () => {
    await f.setSettings({ groupImportMode: 'listed', importGroupIds: [GROUP_IDS.supervisors] });
    await f.login(await f.entra.mintAccessToken({ user: 'mfa' }));
    expect(membershipsOf(f.entra.users.mfa.oid).groups).toEqual([GROUP_IDS.supervisors]);
    await f.setSettings({ groupImportMode: 'all', importGroupIds: [] });
  });

  it('leaves groups alone when import is off', async () => {
    await f.setSettings({ importUserGroups: false });
    const before = membershipsOf(f.entra.users.mfa.oid).groups;
    await f.login(await f.entra.mintAccessToken({ user: 'mfa', groups: [GROUP_IDS.dispatch] }));
    expect(membershipsOf(f.entra.users.mfa.oid).groups).toEqual(before);
    await f.setSettings({ importUserGroups: true });
  });

  it('refuses users outside the required groups with 403 group_required, and admits members', async () => {
    await f.setSettings({ requiredGroupIds: [GROUP_IDS.supervisors] });
    const refused = await f.login(await f.entra.mintAccessToken({ user: 'password' }));
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: 'access_denied', reason: 'group_required' });
    expect((await f.login(await f.entra.mintAccessToken({ user: 'mfa' }))).status).toBe(200);
    await f.setSettings({ requiredGroupIds: [] });
  });

  it('refuses a disabled user with 403 user_disabled, and records who tried', async () => {
    await f.login(await f.entra.mintAccessToken({ user: 'seamless' }));
    f.db.update(users).set({ status: 'disabled' }).where(eq(users.objectId, f.entra.users.seamless.oid)).run();
    const res = await f.login(await f.entra.mintAccessToken({ user: 'seamless' }));
    expect(res.status).toBe(403);
    expect((await res.json()).reason).toBe('user_disabled');
    const user = membershipsOf(f.entra.users.seamless.oid).user;
    expect(f.lastLoginEvent()).toMatchObject({ outcome: 'refused', reason: 'user_disabled', userId: user.id, signInMethod: 'wia' });
  });
});
