import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TENANT_ID, OTHER_TENANT_ID } from './ids';
import { startEntraEmulator } from './server';
import type { EntraEmulator } from './server';

let entra: EntraEmulator;
beforeAll(async () => {
  entra = await startEntraEmulator();
});
afterAll(async () => {
  await entra.stop();
});

async function getJson(path: string): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(`${entra.origin}${path}`);
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

describe('discovery documents', () => {
  it('publishes the v2 document of a tenant with its own issuer and endpoints on the emulator host', async () => {
    const { status, body } = await getJson(`/${DEMO_TENANT_ID}/v2.0/.well-known/openid-configuration`);
    expect(status).toBe(200);
    expect(body.issuer).toBe(`${entra.origin}/${DEMO_TENANT_ID}/v2.0`);
    expect(body.authorization_endpoint).toBe(`${entra.origin}/${DEMO_TENANT_ID}/oauth2/v2.0/authorize`);
    expect(body.token_endpoint).toBe(`${entra.origin}/${DEMO_TENANT_ID}/oauth2/v2.0/token`);
    expect(body.jwks_uri).toBe(`${entra.origin}/${DEMO_TENANT_ID}/discovery/v2.0/keys`);
    expect(body.end_session_endpoint).toBe(`${entra.origin}/${DEMO_TENANT_ID}/oauth2/v2.0/logout`);
    expect(body.response_modes_supported).toEqual(['query', 'fragment', 'form_post']);
    expect(body.id_token_signing_alg_values_supported).toEqual(['RS256']);
  });

  it('publishes the v1 document with the sts-style issuer and the common v1 key set', async () => {
    const { body } = await getJson(`/${DEMO_TENANT_ID}/.well-known/openid-configuration`);
    expect(body.issuer).toBe(`${entra.origin}/${DEMO_TENANT_ID}/`);
    expect(body.jwks_uri).toBe(`${entra.origin}/common/discovery/keys`);
  });

  it('gives the other tenant its own issuer', async () => {
    const { body } = await getJson(`/${OTHER_TENANT_ID}/v2.0/.well-known/openid-configuration`);
    expect(body.issuer).toBe(`${entra.origin}/${OTHER_TENANT_ID}/v2.0`);
  });

  it('serves common with the {tenantid} issuer template, and resolves a verified domain to its GUID', async () => {
    const common = await getJson('/common/v2.0/.well-known/openid-configuration');
    expect(common.body.issuer).toBe(`${entra.origin}/{tenantid}/v2.0`);
    expect(common.body.token_endpoint).toBe(`${entra.origin}/common/oauth2/v2.0/token`);
    const byDomain = await getJson('/contoso.example/v2.0/.well-known/openid-configuration');
    expect(byDomain.body.issuer).toBe(`${entra.origin}/${DEMO_TENANT_ID}/v2.0`);
  });

  it('refuses an unknown tenant the way Entra does', async () => {
    const { status, body } = await getJson('/00000000-0000-0000-0000-000000000001/v2.0/.well-known/openid-configuration');
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_tenant');
    expect(body.error_codes).toEqual([90002]);
  });

  it('answers unknown paths with 404, prototype names included', async () => {
    for (const path of ['/common/constructor', `/${DEMO_TENANT_ID}/toString`, '/nothing']) {
      const response = await fetch(`${entra.origin}${path}`);
      expect(response.status).toBe(404);
    }
  });

  it('answers browsers from any origin, preflight included', async () => {
    const { headers } = await getJson(`/${DEMO_TENANT_ID}/v2.0/.well-known/openid-configuration`);
    expect(headers.get('access-control-allow-origin')).toBe('*');
    const preflight = await fetch(`${entra.origin}/${DEMO_TENANT_ID}/oauth2/v2.0/token`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-client-sku' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type,x-client-sku');
  });
});

describe('key sets', () => {
  it('lists v2 keys with kid, x5t equal to kid, RSA members and the issuer template', async () => {
    for (const path of [`/${DEMO_TENANT_ID}/discovery/v2.0/keys`, '/common/discovery/v2.0/keys']) {
      const { body } = await getJson(path);
      const keys = body.keys as Record<string, unknown>[];
      expect(keys).toHaveLength(1);
      expect(keys[0]).toEqual({
        kty: 'RSA',
        use: 'sig',
        kid: entra.currentKid,
        x5t: entra.currentKid,
        n: expect.any(String),
        e: 'AQAB',
        issuer: `${entra.origin}/{tenantid}/v2.0`,
      });
    }
  });

  it('lists v1 keys without an issuer', async () => {
    for (const path of ['/common/discovery/keys', `/${DEMO_TENANT_ID}/discovery/keys`]) {
      const { body } = await getJson(path);
      const keys = body.keys as Record<string, unknown>[];
      expect(keys.map((k) => k.kid)).toEqual([entra.currentKid]);
      expect(keys[0]).not.toHaveProperty('issuer');
    }
  });

  it('records each fetch so that tests can count them', async () => {
    entra.clearRequests();
    await getJson('/common/discovery/keys');
    await getJson(`/${DEMO_TENANT_ID}/discovery/v2.0/keys`);
    expect(entra.countRequests(`/${DEMO_TENANT_ID}/discovery/`)).toBe(1);
    expect(entra.countRequests()).toBe(2);
    expect(entra.requests[0]).toMatchObject({ method: 'GET', path: '/common/discovery/keys' });
  });
});
