import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { SignJWT, decodeJwt, generateKeyPair, importPKCS8 } from 'jose';
import type { CryptoKey, JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JWT_BEARER_ASSERTION } from './client-assertion';
import { DEMO_CLIENT_ID } from './ids';
import { startEntraEmulator } from './server';
import type { AppCertificateFiles, EntraEmulator } from './server';
import { postToken } from './test-support';

let entra: EntraEmulator;
let cert: AppCertificateFiles;
let rsaKey: CryptoKey;
let psKey: CryptoKey;
beforeAll(async () => {
  entra = await startEntraEmulator({ appCertificate: true });
  if (!entra.appCertificate) throw new Error('no app certificate');
  cert = entra.appCertificate;
  const pem = await readFile(cert.keyFile, 'utf8');
  rsaKey = await importPKCS8(pem, 'RS256');
  psKey = await importPKCS8(pem, 'PS256');
});
afterAll(async () => {
  await entra.stop();
});

const tokenEndpoint = () => `${entra.origin}/${entra.tenantId}/oauth2/v2.0/token`;

/** A client assertion as MSAL builds one, with overrides for each test. */
async function assertion(
  options: { header?: Record<string, unknown>; claims?: JWTPayload; key?: CryptoKey; alg?: string; omit?: string[] } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: JWTPayload = {
    aud: tokenEndpoint(),
    iss: DEMO_CLIENT_ID,
    sub: DEMO_CLIENT_ID,
    jti: randomUUID(),
    nbf: now,
    iat: now,
    exp: now + 600,
    ...options.claims,
  };
  for (const name of options.omit ?? []) delete claims[name];
  const alg = options.alg ?? 'RS256';
  return new SignJWT(claims)
    .setProtectedHeader({ alg, typ: 'JWT', 'x5t#S256': cert.x5tS256, ...options.header })
    .sign(options.key ?? (alg === 'PS256' ? psKey : rsaKey));
}

async function redeem(clientAssertion: string, extra: Record<string, string> = {}) {
  return postToken(
    entra,
    {
      grant_type: 'client_credentials',
      client_id: DEMO_CLIENT_ID,
      client_assertion_type: JWT_BEARER_ASSERTION,
      client_assertion: clientAssertion,
      scope: `${entra.graphHost}/.default`,
      ...extra,
    },
    {},
  );
}

const outcome = (r: { status: number; body: Record<string, unknown> }) => [r.status, r.body.error, (r.body.error_codes as number[] | undefined)?.[0]];

describe('client credentials with a certificate (private_key_jwt)', () => {
  it('writes the generated certificate and key as PEM files, with both thumbprints', async () => {
    expect(await readFile(cert.certFile, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(await readFile(cert.keyFile, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(cert.x5t).toMatch(/^[\w-]{27}$/);
    expect(cert.x5tS256).toMatch(/^[\w-]{43}$/);
    expect(cert.thumbprint).toMatch(/^[0-9A-F]{40}$/);
  });

  it('issues an app token (appidacr 2) for an RS256 assertion naming the certificate by x5t#S256', async () => {
    const response = await redeem(await assertion());
    expect(response.status).toBe(200);
    expect(decodeJwt(String(response.body.access_token))).toMatchObject({ appid: DEMO_CLIENT_ID, appidacr: '2', idtyp: 'app' });
    expect(entra.counters().tokenGrants['client_credentials:private_key_jwt']).toBeGreaterThanOrEqual(1);
  });

  it('accepts PS256, the legacy x5t header, the tenant domain in aud, and an aud given as a one-element array', async () => {
    expect((await redeem(await assertion({ alg: 'PS256' }))).status).toBe(200);
    expect((await redeem(await assertion({ header: { 'x5t#S256': undefined, x5t: cert.x5t } }))).status).toBe(200);
    const byDomain = `${entra.origin}/contoso.example/oauth2/v2.0/token`;
    expect((await redeem(await assertion({ claims: { aud: byDomain } }))).status).toBe(200);
    expect((await redeem(await assertion({ claims: { aud: [tokenEndpoint()] } }))).status).toBe(200);
  });

  it('refuses a signature by another key with 401 invalid_client AADSTS700027', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    expect(outcome(await redeem(await assertion({ key: privateKey })))).toEqual([401, 'invalid_client', 700027]);
  });

  it('refuses an unregistered thumbprint, or none, with AADSTS700027, and HS256 too', async () => {
    expect(outcome(await redeem(await assertion({ header: { 'x5t#S256': 'A'.repeat(43) } })))).toEqual([401, 'invalid_client', 700027]);
    expect(outcome(await redeem(await assertion({ header: { 'x5t#S256': undefined } })))).toEqual([401, 'invalid_client', 700027]);
    const hs = await new SignJWT({ iss: DEMO_CLIENT_ID }).setProtectedHeader({ alg: 'HS256', 'x5t#S256': cert.x5tS256 }).sign(new Uint8Array(32));
    expect(outcome(await redeem(hs))).toEqual([401, 'invalid_client', 700027]);
  });

  it('refuses an expired assertion, one not valid yet, and one living longer than 10 minutes with AADSTS700024', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(outcome(await redeem(await assertion({ claims: { nbf: now - 1200, iat: now - 1200, exp: now - 600 } })))).toEqual([401, 'invalid_client', 700024]);
    expect(outcome(await redeem(await assertion({ claims: { nbf: now + 600, exp: now + 900 } })))).toEqual([401, 'invalid_client', 700024]);
    expect(outcome(await redeem(await assertion({ claims: { exp: now + 3600 } })))).toEqual([401, 'invalid_client', 700024]);
  });

  it('refuses a wrong aud (AADSTS700023) and iss or sub other than the client ID (AADSTS700021)', async () => {
    expect(outcome(await redeem(await assertion({ claims: { aud: 'https://login.microsoftonline.com/x/oauth2/v2.0/token' } })))).toEqual([
      401,
      'invalid_client',
      700023,
    ]);
    expect(outcome(await redeem(await assertion({ claims: { iss: 'someone-else' } })))).toEqual([401, 'invalid_client', 700021]);
    expect(outcome(await redeem(await assertion({ claims: { sub: 'someone-else' } })))).toEqual([401, 'invalid_client', 700021]);
  });

  it('refuses an assertion without jti or exp, a malformed one, or a wrong assertion type with 400 invalid_request', async () => {
    expect(outcome(await redeem(await assertion({ omit: ['jti'] })))).toEqual([400, 'invalid_request', 50027]);
    expect(outcome(await redeem(await assertion({ omit: ['exp'] })))).toEqual([400, 'invalid_request', 50027]);
    expect(outcome(await redeem('not.a.jwt'))).toEqual([400, 'invalid_request', 50027]);
    expect((await redeem(await assertion(), { client_assertion_type: 'urn:other' })).status).toBe(400);
    expect((await redeem(await assertion(), { client_secret: entra.clientSecret })).status).toBe(400);
  });

  it('registers an uploaded certificate and generates new ones through the control API, and forgets removed ones', async () => {
    const generated = await fetch(`${entra.origin}/_dev/app-certificates`, { method: 'POST', body: '{}' });
    expect(generated.status).toBe(201);
    const fresh = (await generated.json()) as { keyId: string; keyFile: string; certFile: string; 'x5t#S256': string };
    const freshKey = await importPKCS8(await readFile(fresh.keyFile, 'utf8'), 'RS256');
    const signed = await assertion({ key: freshKey, header: { 'x5t#S256': fresh['x5t#S256'] } });
    expect((await redeem(signed)).status).toBe(200);
    expect((await fetch(`${entra.origin}/_dev/app-certificates/${fresh.keyId}`, { method: 'DELETE' })).status).toBe(204);
    expect(outcome(await redeem(await assertion({ key: freshKey, header: { 'x5t#S256': fresh['x5t#S256'] } })))).toEqual([401, 'invalid_client', 700027]);
    const uploaded = await fetch(`${entra.origin}/_dev/app-certificates`, {
      method: 'POST',
      body: JSON.stringify({ certificatePem: await readFile(fresh.certFile, 'utf8') }),
    });
    expect(uploaded.status).toBe(201);
    expect((await redeem(await assertion({ key: freshKey, header: { 'x5t#S256': fresh['x5t#S256'] } }))).status).toBe(200);
    const bad = await fetch(`${entra.origin}/_dev/app-certificates`, { method: 'POST', body: JSON.stringify({ certificatePem: 'nope' }) });
    expect(bad.status).toBe(400);
  });
});
