import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CLIENT_SECRET, SERVICE_PRINCIPAL_IDS } from './app-registry';
import { DEMO_CLIENT_ID, DEMO_TENANT_ID, GRAPH_APP_ID, OTHER_CLIENT_ID, OTHER_TENANT_ID } from './ids';
import { startEntraEmulator } from './server';
import type { EntraEmulator } from './server';
import { appToken, postToken } from './test-support';

let entra: EntraEmulator;
beforeAll(async () => {
  entra = await startEntraEmulator();
});
afterAll(async () => {
  await entra.stop();
});

function errorCode(body: Record<string, unknown>): number | undefined {
  return (body.error_codes as number[] | undefined)?.[0];
}

describe('client credentials with a client secret', () => {
  it('issues an app-only Graph token with the granted application permissions, signed by the tenant keys', async () => {
    const { status, body } = await appToken(entra);
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 });
    expect(body).not.toHaveProperty('refresh_token');
    const token = String(body.access_token);
    const keys = createRemoteJWKSet(new URL(`${entra.origin}/common/discovery/keys`));
    const { payload } = await jwtVerify(token, keys, { issuer: `${entra.origin}/${DEMO_TENANT_ID}/`, audience: entra.graphHost });
    const servicePrincipal = SERVICE_PRINCIPAL_IDS[DEMO_TENANT_ID];
    expect(payload).toMatchObject({
      idtyp: 'app',
      appid: DEMO_CLIENT_ID,
      appidacr: '1',
      oid: servicePrincipal,
      sub: servicePrincipal,
      tid: DEMO_TENANT_ID,
      roles: ['GroupMember.Read.All', 'User.Read.All'],
      ver: '1.0',
    });
    expect(payload).not.toHaveProperty('scp');
    expect(payload.exp! - payload.iat!).toBe(3599);
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', kid: entra.currentKid, x5t: entra.currentKid });
  });

  it('exports the fixed dev secret, and accepts it in an Authorization Basic header too', async () => {
    expect(entra.clientSecret).toBe(DEMO_CLIENT_SECRET);
    const basic = Buffer.from(`${DEMO_CLIENT_ID}:${encodeURIComponent(DEMO_CLIENT_SECRET)}`).toString('base64');
    const { status, body } = await postToken(
      entra,
      { grant_type: 'client_credentials', scope: `${entra.graphHost}/.default` },
      { authorization: `Basic ${basic}` },
    );
    expect(status).toBe(200);
    expect(decodeJwt(String(body.access_token)).appidacr).toBe('1');
  });

  it('takes the Graph resource as the graph host, https://graph.microsoft.com or Graph’s app ID, and names it in aud', async () => {
    for (const [resource, aud] of [
      [entra.graphHost, entra.graphHost],
      ['https://graph.microsoft.com', 'https://graph.microsoft.com'],
      [GRAPH_APP_ID, GRAPH_APP_ID],
    ]) {
      const { status, body } = await appToken(entra, { scope: `${resource}/.default` });
      expect(status).toBe(200);
      expect(decodeJwt(String(body.access_token)).aud).toBe(aud);
    }
  });

  it('answers a wrong secret with 401 invalid_client AADSTS7000215', async () => {
    const { status, body } = await appToken(entra, { client_secret: 'wrong' });
    expect(status).toBe(401);
    expect(body.error).toBe('invalid_client');
    expect(errorCode(body)).toBe(7000215);
    expect(JSON.stringify(body)).not.toContain(DEMO_CLIENT_SECRET);
  });

  it('answers a missing credential with 401 invalid_client, and a public client presenting one with AADSTS700025', async () => {
    const none = await postToken(entra, { grant_type: 'client_credentials', client_id: DEMO_CLIENT_ID, scope: `${entra.graphHost}/.default` }, {});
    expect([none.status, none.body.error, errorCode(none.body)]).toEqual([401, 'invalid_client', 7000218]);
    const publicClient = await appToken(entra, { client_id: OTHER_CLIENT_ID });
    expect([publicClient.status, errorCode(publicClient.body)]).toEqual([401, 700025]);
  });

  it('refuses scopes without /.default (invalid_scope AADSTS1002012) and unknown resources (AADSTS500011), with 400', async () => {
    const notDefault = await appToken(entra, { scope: `${entra.graphHost}/User.Read.All` });
    expect([notDefault.status, notDefault.body.error, errorCode(notDefault.body)]).toEqual([400, 'invalid_scope', 1002012]);
    const two = await appToken(entra, { scope: `${entra.graphHost}/.default https://graph.microsoft.com/.default` });
    expect([two.status, two.body.error]).toEqual([400, 'invalid_scope']);
    const unknown = await appToken(entra, { scope: 'https://management.azure.com/.default' });
    expect([unknown.status, unknown.body.error, errorCode(unknown.body)]).toEqual([400, 'invalid_resource', 500011]);
    const missing = await appToken(entra, { scope: '' });
    expect([missing.status, errorCode(missing.body)]).toEqual([400, 900144]);
  });

  it('needs a tenant in the path: /common gets AADSTS50059, the other tenant gets its own service principal', async () => {
    const common = await appToken(entra, {}, 'common');
    expect([common.status, common.body.error, errorCode(common.body)]).toEqual([400, 'invalid_request', 50059]);
    const other = await appToken(entra, {}, OTHER_TENANT_ID);
    expect(other.status).toBe(200);
    expect(decodeJwt(String(other.body.access_token))).toMatchObject({ tid: OTHER_TENANT_ID, oid: SERVICE_PRINCIPAL_IDS[OTHER_TENANT_ID] });
  });
});
