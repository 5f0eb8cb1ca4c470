import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GROUP_IDS, startEntraEmulator, type EntraEmulator } from '@/dev-entra';
import { openDb, type Db } from '@/db/client';
import { users } from '@/db/schema';
import { LoginRefusedError } from '@/server/entra/errors';
import { loginWithToken } from '@/server/login/login';
import { getSettings, updateSettings } from '@/server/settings/service';
import { tempDbFile } from '@/test/support/tmp';
import { diagnoseToken } from './doctor';

/** For each rule the login applies beyond the token, the doctor and the login agree. */
describe('token doctor and login apply the same rules', () => {
  let entra: EntraEmulator;
  let db: Db;
  const settings = () => getSettings(db).effective;
  const set = (patch: Record<string, unknown>) => updateSettings(db, patch, { kind: 'cli', name: 'test' });
  const login = (token: string) => loginWithToken(db, { token, ip: '192.0.2.10', userAgent: 'vitest' });
  const loginReason = async (token: string) => {
    try {
      await login(token);
      return 'accepted';
    } catch (err) {
      if (err instanceof LoginRefusedError) return err.reason;
      throw err;
    }
  };
  const doctor = async (token: string) => {
    const d = await diagnoseToken(db, settings(), token);
    return d.accepted ? 'accepted' : d.firstFailure?.reason;
  };

  beforeAll(async () => {
    entra = await startEntraEmulator();
    db = openDb(tempDbFile());
    set({ cloud: 'custom', authorityHost: entra.authorityHost, tenantId: entra.tenantId, clientId: entra.clientId, enabled: true });
  });
  afterAll(async () => {
    await entra?.stop();
    db?.$client.close();
  });

  it('says accepted for a fresh valid token, and the login accepts it', async () => {
    const token = await entra.mintAccessToken({ user: 'password' });
    expect(await doctor(token)).toBe('accepted');
    expect(await loginReason(token)).toBe('accepted');
  });

  it('says token_replayed for a token already used to sign in, as the login does', async () => {
    const token = await entra.mintAccessToken({ user: 'password' });
    await login(token);
    expect(await doctor(token)).toBe('token_replayed');
    expect(await loginReason(token)).toBe('token_replayed');
  });

  it('says missing_claim for a token without uti, as the login does', async () => {
    const token = await entra.mintAccessToken({ user: 'password', omitClaims: ['uti'] });
    expect(await doctor(token)).toBe('missing_claim');
    expect(await loginReason(token)).toBe('missing_claim');
  });

  it('says user_disabled for a disabled user, as the login does', async () => {
    await login(await entra.mintAccessToken({ user: 'seamless' }));
    db.update(users).set({ status: 'disabled' }).where(eq(users.objectId, entra.users.seamless.oid)).run();
    const token = await entra.mintAccessToken({ user: 'seamless' });
    expect(await doctor(token)).toBe('user_disabled');
    expect(await loginReason(token)).toBe('user_disabled');
  });

  it('says group_required outside the required groups and groups_unresolved on overage, as the login does', async () => {
    set({ requiredGroupIds: [GROUP_IDS.supervisors] });
    const outside = await entra.mintAccessToken({ user: 'password' });
    expect(await doctor(outside)).toBe('group_required');
    expect(await loginReason(outside)).toBe('group_required');
    const overage = await entra.mintAccessToken({ user: 'overage' });
    expect(await doctor(overage)).toBe('groups_unresolved');
    expect(await loginReason(overage)).toBe('groups_unresolved');
    const member = await entra.mintAccessToken({ user: 'mfa' });
    expect(await doctor(member)).toBe('accepted');
    expect(await loginReason(member)).toBe('accepted');
    set({ requiredGroupIds: [] });
  });

  it('does not use the token it checks: a login after the doctor still succeeds', async () => {
    const token = await entra.mintAccessToken({ user: 'mfa' });
    await doctor(token);
    await doctor(token);
    expect(await loginReason(token)).toBe('accepted');
  });
});
