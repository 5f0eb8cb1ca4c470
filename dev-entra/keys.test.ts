import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
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

const keysUrl = () => `${entra.origin}/${DEMO_TENANT_ID}/discovery/v2.0/keys`;

async function publishedKids(): Promise<string[]> {
  const body = (await (await fetch(keysUrl())).json()) as { keys: { kid: string }[] };
  return body.keys.map((k) => k.kid);
}

/** A fresh JWKS client per check, so that no cache hides what the endpoint serves now. */
async function verifies(token: string): Promise<boolean> {
  const keys = createRemoteJWKSet(new URL(keysUrl()));
  return jwtVerify(token, keys, { issuer: `${entra.origin}/${DEMO_TENANT_ID}/`, audience: `api://${DEMO_CLIENT_ID}` }).then(
    () => true,
    () => false,
  );
}

describe('key rotation', () => {
  it('publishes a new key before signing with it, as Entra rolls keys over', async () => {
    const before = entra.currentKid;
    const kid = await entra.addKey();
    expect(await publishedKids()).toEqual([before, kid]);
    expect(entra.currentKid).toBe(before);
    entra.useKey(kid);
    const token = await entra.mintAccessToken();
    expect(decodeProtectedHeader(token).kid).toBe(kid);
    expect(await verifies(token)).toBe(true);
  });

  it('can make a new key current at once', async () => {
    const kid = await entra.addKey({ makeCurrent: true });
    expect(entra.currentKid).toBe(kid);
    expect(await publishedKids()).toContain(kid);
  });

  it('unpublishes a retired key: its tokens stop verifying, new ones are signed by a published key', async () => {
    const old = entra.currentKid;
    const oldToken = await entra.mintAccessToken();
    await entra.addKey();
    entra.retireKey(old);
    expect(await publishedKids()).not.toContain(old);
    expect(entra.currentKid).not.toBe(old);
    expect(await verifies(oldToken)).toBe(false);
    expect(await verifies(await entra.mintAccessToken())).toBe(true);
    // A retired key can still sign on purpose, for "signed by a rotated-out key" tests.
    const stale = await entra.mintAccessToken({ kid: old });
    expect(decodeProtectedHeader(stale).kid).toBe(old);
    expect(await verifies(stale)).toBe(false);
  });

  it('never publishes the unpublished key', async () => {
    const token = await entra.mintAccessToken({ signWith: 'unpublished' });
    expect(await publishedKids()).not.toContain(decodeProtectedHeader(token).kid);
    expect(await verifies(token)).toBe(false);
  });

  it('refuses to retire the last published key or an unknown kid', async () => {
    for (const kid of (await publishedKids()).slice(1)) entra.retireKey(kid);
    expect(() => entra.retireKey(entra.currentKid)).toThrow(/only published key/);
    expect(() => entra.retireKey('nope')).toThrow(/no published key/);
  });
});

describe('outage', () => {
  it('makes discovery and keys answer 503 while down, and recover after', async () => {
    entra.setOutage(true);
    try {
      const discovery = await fetch(`${entra.origin}/${DEMO_TENANT_ID}/v2.0/.well-known/openid-configuration`);
      expect(discovery.status).toBe(503);
      expect(((await discovery.json()) as { error: string }).error).toBe('temporarily_unavailable');
      expect((await fetch(keysUrl())).status).toBe(503);
    } finally {
      entra.setOutage(false);
    }
    expect((await fetch(keysUrl())).status).toBe(200);
  });

  it('can drop connections instead', async () => {
    entra.setOutage(true, 'reset');
    try {
      await expect(fetch(keysUrl())).rejects.toThrow();
    } finally {
      entra.setOutage(false);
    }
  });
});
