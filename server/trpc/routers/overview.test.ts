import { describe, expect, it } from 'vitest';
import { openDb } from '@/db/client';
import { getSettings, updateSettings } from '@/server/settings/service';
import { seedLogin, seedUser } from '@/server/directory/test-seed';
import { tempDbFile } from '@/test/support/tmp';
import { callerFor } from '../test-contexts';

const TENANT = '8eaef023-2b34-4da1-9baa-8bc8c9d6a490';
const CLIENT = '6731de76-14a6-49ae-97bc-6eba6914391e';

describe('overview.summary', () => {
  it('says SSO is off and /sso-meta answers 404 before anything is configured', async () => {
    const db = openDb(tempDbFile());
    const summary = await callerFor(db, 'auditor').overview.summary();
    expect(summary).toEqual({
      sso: { enabled: false, complete: false, version: 0, updatedAt: null, updatedBy: null },
      meta: null,
      recentLogins: [],
      keyHealth: null,
      counts: { users: { total: 0, active: 0, disabled: 0 }, groups: 0, signIns24h: { attempts: 0, accepted: 0, refused: 0 } },
    });
  });

  it('shows the live /sso-meta document, key health, the last 10 sign-ins and the counts', async () => {
    const db = openDb(tempDbFile());
    updateSettings(db, { enabled: true, tenantId: TENANT, clientId: CLIENT, domainHint: 'contoso.com' }, { kind: 'cli', name: 'cli' });
    const user = seedUser(db, { displayName: 'Anna Berg', username: 'anna@contoso.com', groups: ['aaaaaaaa-0000-4000-8000-000000000001'] });
    seedUser(db, { status: 'disabled' });
    const now = Date.now() - 1;
    for (let i = 0; i < 12; i++)
      seedLogin(db, {
        ts: now - (12 - i) * 1000,
        userId: user.id,
        username: 'anna@contoso.com',
        displayName: 'Anna Berg',
        amr: ['wia'],
        clientAppId: 'app',
        ip: `10.0.0.${i}`,
      });
    seedLogin(db, { ts: now, outcome: 'refused', reason: 'audience_mismatch', status: 401, username: 'mallory@contoso.com' });

    const summary = await callerFor(db, 'auditor').overview.summary();

    expect(summary.sso).toEqual({ enabled: true, complete: true, version: 1, updatedAt: expect.any(Number), updatedBy: 'cli' });
    // exactly what GET /sso-meta serves, key order included
    expect(JSON.stringify(summary.meta)).toBe(JSON.stringify(getSettings(db).meta.document));
    expect(summary.meta).toMatchObject({ tenantId: TENANT, clientId: CLIENT, domainHint: 'contoso.com' });
    expect(summary.keyHealth).toMatchObject({ openIdConfUrl: `https://login.microsoftonline.com/${TENANT}/v2.0/.well-known/openid-configuration`, keyIds: [] });
    expect(summary.recentLogins).toHaveLength(10);
    expect(summary.recentLogins[0]).toEqual({
      id: expect.any(Number),
      ts: now,
      outcome: 'refused',
      reason: 'audience_mismatch',
      reasonLabel: 'Token for another API',
      username: 'mallory@contoso.com',
      displayName: null,
      userId: null,
      signInMethod: null,
      signInMethodLabel: 'not reported',
      clientAppId: null,
      ip: null,
    });
    expect(summary.recentLogins[1]).toMatchObject({
      outcome: 'accepted',
      userId: user.id,
      displayName: 'Anna Berg',
      signInMethod: 'wia',
      clientAppId: 'app',
      ip: '10.0.0.11',
    });
    expect(summary.counts).toEqual({ users: { total: 2, active: 1, disabled: 1 }, groups: 1, signIns24h: { attempts: 13, accepted: 12, refused: 1 } });
  });
});
