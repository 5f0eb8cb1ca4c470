import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GROUP_IDS, startEntraEmulator, type EntraEmulator } from '@/dev-entra';
import { openDb, type Db } from '@/db/client';
import { loginWithToken } from '@/server/login/login';
import { updateSettings } from '@/server/settings/service';
import { tempDbFile } from '@/test/support/tmp';
import { createContext } from './context';

describe('console roles from groups', () => {
  let entra: EntraEmulator;
  let db: Db;
  const contextWith = (token: string) =>
    createContext({ req: new Request('http://localhost/api/trpc/auth.me', { headers: { authorization: `Bearer ${token}` } }), resHeaders: new Headers(), db });

  beforeAll(async () => {
    entra = await startEntraEmulator();
    db = openDb(tempDbFile());
    updateSettings(
      db,
      {
        cloud: 'custom',
        authorityHost: entra.authorityHost,
        tenantId: entra.tenantId,
        clientId: entra.clientId,
        enabled: true,
        adminGroupIds: [GROUP_IDS.supervisors],
      },
      { kind: 'cli', name: 'test' },
    );
  });
  afterAll(async () => {
    await entra?.stop();
    db?.$client.close();
  });

  it('grants admin to a token that lists an admin group', async () => {
    const ctx = await contextWith(await entra.mintAccessToken({ user: 'overage', groups: [GROUP_IDS.supervisors] }));
    expect(ctx.actor?.roles).toEqual(['admin']);
    expect(ctx.actor?.groupsUnresolved).toBe(false);
  });

  it('grants no role on groups overage, although memberships stored at an earlier sign-in include the admin group, and says why', async () => {
    // an earlier sign-in stored the admin group for this user
    await loginWithToken(db, {
      token: await entra.mintAccessToken({ user: 'overage', groups: [GROUP_IDS.supervisors] }),
      ip: '192.0.2.1',
      userAgent: 'vitest',
    });
    const ctx = await contextWith(await entra.mintAccessToken({ user: 'overage' }));
    expect(ctx.actor).not.toBeNull();
    expect(ctx.actor?.roles).toEqual([]);
    expect(ctx.actor?.groupsUnresolved).toBe(true);
  });

  it('still grants an app role on groups overage: roles do not depend on groups', async () => {
    const ctx = await contextWith(await entra.mintAccessToken({ user: 'overage', roles: ['IceSso.Auditor'] }));
    expect(ctx.actor?.roles).toEqual(['auditor']);
  });
});
