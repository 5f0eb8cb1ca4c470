import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPH_APP_ID, OTHER_TENANT_ID } from '@/dev-entra';
import { useLoginFixture } from '@/test/support/login-fixture';

/** A server the attacker controls: it must never be asked for anything. */
function attackerServer() {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    res.end('{"keys":[]}');
  });
  return { hits, server };
}

describe('POST /api/login refuses attacks', () => {
  const f = useLoginFixture();
  const attacker = attackerServer();
  let attackerOrigin = '';
  beforeAll(async () => {
    await new Promise<void>((r) => attacker.server.listen(0, '127.0.0.1', () => r()));
    attackerOrigin = `http://127.0.0.1:${(attacker.server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => attacker.server.close(() => r())));

  const now = () => Math.floor(Date.now() / 1000);
  const expectRefused = async (res: Response, reason: string, status = 401) => {
    expect(res.status).toBe(status);
    expect((await res.json()).reason).toBe(reason);
    expect(f.lastLoginEvent()).toMatchObject({ outcome: 'refused', reason });
  };

  it('refuses alg none', async () => {
    const claims = {
      iss: `${f.entra.origin}/${f.entra.tenantId}/v2.0`,
      aud: f.entra.clientId,
      tid: f.entra.tenantId,
      oid: f.entra.users.password.oid,
      scp: 'UserProfile.ReadWrite',
      azp: f.entra.clientId,
      exp: now() + 600,
      uti: 'none-1',
    };
    await expectRefused(await f.login(await f.entra.signRaw({}, claims, 'none')), 'unsupported_alg');
  });

  it('refuses HS256 signed with the public key as the secret', async () => {
    const claims = {
      iss: `${f.entra.origin}/${f.entra.tenantId}/v2.0`,
      aud: f.entra.clientId,
      tid: f.entra.tenantId,
      oid: f.entra.users.password.oid,
      scp: 'UserProfile.ReadWrite',
      azp: f.entra.clientId,
      exp: now() + 600,
      uti: 'hs-1',
    };
    await expectRefused(await f.login(await f.entra.signRaw({}, claims, 'HS256-with-public-key')), 'unsupported_alg');
  });

  it('refuses a token from another tenant signed with the same keys', async () => {
    await expectRefused(await f.login(await f.entra.mintAccessToken({ user: 'fabrikam', tenantId: OTHER_TENANT_ID })), 'tenant_mismatch');
  });

  it('refuses an ID token', async () => {
    await expectRefused(await f.login(await f.entra.mintIdToken({ user: 'password' })), 'missing_scope');
  });

  it("refuses a token for another API (Microsoft Graph's audience)", async () => {
    await expectRefused(await f.login(await f.entra.mintAccessToken({ audience: GRAPH_APP_ID, scopes: ['User.Read'] })), 'audience_mismatch');
    await expectRefused(await f.login(await f.entra.mintAccessToken({ audience: 'https://graph.microsoft.com', scopes: ['User.Read'] })), 'audience_mismatch');
  });

  it('never fetches a jku or x5u named by the token', async () => {
    const before = f.entra.countRequests();
    const jku = await f.entra.mintAccessToken({
      signWith: 'unpublished',
      kid: 'attacker-key',
      header: { jku: `${attackerOrigin}/jwks.json`, x5u: `${attackerOrigin}/cert.pem` },
    });
    await expectRefused(await f.login(jku), 'unknown_key');
    // a published kid with an attacker's key set alongside: the pinned key decides
    const forged = await f.entra.mintAccessToken({ signWith: 'unpublished', kid: f.entra.currentKid, header: { jku: `${attackerOrigin}/jwks.json` } });
    await expectRefused(await f.login(forged), 'bad_signature');
    expect(attacker.hits).toEqual([]);
    // only the pinned key set may have been refreshed (once, for the unknown kid)
    const fetched = f.entra.requests.slice(before).map((r) => r.path);
    expect(fetched.every((p) => p.includes('/discovery/'))).toBe(true);
  });

  it('refuses a token expired beyond the clock skew but accepts one inside it', async () => {
    await expectRefused(await f.login(await f.entra.mintAccessToken({ expiresInSeconds: -301, issuedAtSeconds: -4000 })), 'token_expired');
    expect((await f.login(await f.entra.mintAccessToken({ expiresInSeconds: -120, issuedAtSeconds: -3720 }))).status).toBe(200);
  });

  it('refuses a token whose nbf is in the future beyond the skew', async () => {
    await expectRefused(await f.login(await f.entra.mintAccessToken({ notBeforeSeconds: 900 })), 'token_not_yet_valid');
  });

  it('refuses a replayed uti, even after the first session was used', async () => {
    const token = await f.entra.mintAccessToken({ user: 'password' });
    const first = await f.login(token);
    expect(first.status).toBe(200);
    const { session } = (await first.json()) as { session: { token: string } };
    const used = await fetch(`${f.server.origin}/api/session`, { headers: { authorization: `Bearer ${session.token}` } });
    expect(used.status).toBe(200);
    await expectRefused(await f.login(token), 'token_replayed');
  });

  it('refuses a tampered payload and a token with crit headers', async () => {
    const token = await f.entra.mintAccessToken();
    const [h, , s] = token.split('.');
    const payload = Buffer.from(JSON.stringify({ tid: f.entra.tenantId, oid: 'admin' })).toString('base64url');
    await expectRefused(await f.login(`${h}.${payload}.${s}`), 'bad_signature');
    const crit = await f.entra.signRaw({ crit: ['exp'] }, { tid: f.entra.tenantId, exp: now() + 600 }, 'RS256');
    await expectRefused(await f.login(crit), 'malformed_token');
  });
});
