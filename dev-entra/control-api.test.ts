import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CLIENT_ID, DEMO_TENANT_ID } from './ids';
import { startEntraEmulator } from './server';
import type { EntraEmulator } from './server';

let entra: EntraEmulator;
beforeAll(async () => {
  entra = await startEntraEmulator();
});
afterAll(async () => {
  await entra.stop();
});

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${entra.origin}/_dev/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

describe('control API', () => {
  it('mints an access token that verifies against the published keys', async () => {
    const { status, json } = await call('POST', 'tokens', { user: 'auditor', version: 2 });
    expect(status).toBe(200);
    const keys = createRemoteJWKSet(new URL(`${entra.origin}/common/discovery/v2.0/keys`));
    const { payload } = await jwtVerify(String(json.token), keys, { issuer: `${entra.origin}/${DEMO_TENANT_ID}/v2.0`, audience: DEMO_CLIENT_ID });
    expect(payload.roles).toEqual(['IceSso.Auditor']);
  });

  it('mints ID tokens and raw attack tokens', async () => {
    const id = await call('POST', 'tokens', { kind: 'id', nonce: 'abc' });
    expect(decodeJwt(String(id.json.token))).toMatchObject({ aud: DEMO_CLIENT_ID, nonce: 'abc' });
    const raw = await call('POST', 'raw-tokens', { header: {}, payload: { sub: 'x' }, alg: 'none' });
    expect(String(raw.json.token).endsWith('.')).toBe(true);
  });

  it('validates bodies and reports what is wrong', async () => {
    const bad = await call('POST', 'tokens', { version: 3 });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toBe('invalid_request');
    expect((await call('POST', 'tokens', { surprise: true })).status).toBe(400);
    expect((await call('POST', 'tokens', { user: 'nobody' })).json.message).toMatch(/unknown demo user/);
    const notJson = await fetch(`${entra.origin}/_dev/tokens`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
  });

  it('adds, lists and retires keys', async () => {
    const added = await call('POST', 'keys', { makeCurrent: true });
    expect(added.status).toBe(201);
    const kid = String(added.json.kid);
    expect((await call('GET', 'keys')).json).toMatchObject({ currentKid: kid });
    expect((await call('DELETE', `keys/${encodeURIComponent(kid)}`)).status).toBe(204);
    expect((await call('GET', 'keys')).json.published).not.toContain(kid);
    expect((await call('DELETE', 'keys/unknown')).status).toBe(400);
  });

  it('switches the outage on and off', async () => {
    await call('POST', 'outage', { down: true });
    expect((await fetch(`${entra.origin}/common/discovery/keys`)).status).toBe(503);
    await call('POST', 'outage', { down: false });
    expect((await fetch(`${entra.origin}/common/discovery/keys`)).status).toBe(200);
  });

  it('lists users, changes the API token version and counts requests', async () => {
    const users = (await call('GET', 'users')).json.users as { key: string; oid: string }[];
    expect(users.find((u) => u.key === 'guest')?.oid).toBe(entra.users.guest.oid);
    expect((await call('POST', 'config', { apiTokenVersion: 2 })).json.apiTokenVersion).toBe(2);
    expect(decodeJwt(String((await call('POST', 'tokens', {})).json.token)).ver).toBe('2.0');
    await call('POST', 'config', { apiTokenVersion: 1 });
    await call('DELETE', 'requests');
    await fetch(`${entra.origin}/common/discovery/keys`);
    expect((await call('GET', 'requests?prefix=/common/discovery')).json.count).toBe(1);
  });

  it('answers unknown control routes with 404', async () => {
    expect((await call('GET', 'nothing')).status).toBe(404);
  });
});
