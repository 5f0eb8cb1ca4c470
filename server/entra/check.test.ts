import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTHER_TENANT_ID } from '@/dev-entra';
import { startKeySetProxy, type KeySetProxy } from '@/test/support/key-set-proxy';
import { useValidatorFixture } from '@/test/support/validator-fixture';
import { checkConfiguration, type CheckStep } from './check';

const byId = (steps: CheckStep[], id: CheckStep['id']) => steps.find((s) => s.id === id)!;

describe('"Check configuration" fetches the tenant\'s documents for the given settings and says what it found', () => {
  const f = useValidatorFixture();
  let proxy: KeySetProxy;
  beforeAll(async () => {
    proxy = await startKeySetProxy(f.entra);
  });
  afterAll(() => proxy?.stop());
  const tid = () => f.entra.tenantId;

  it('passes every step for the emulator tenant', async () => {
    const s = f.settings();
    expect(await checkConfiguration(s)).toEqual([
      { id: 'discovery', label: 'Discovery document reachable', ok: true, detail: `Fetched ${s.openIdConfUrl}.` },
      { id: 'issuer', label: 'Issuer matches the tenant', ok: true, detail: `Issuer ${f.entra.origin}/${tid()}/v2.0.` },
      { id: 'endpoints', label: 'Endpoints match the settings', ok: true, detail: 'The authorization and token URLs are the ones Entra publishes.' },
      { id: 'keys', label: 'Signing keys present', ok: true, detail: `1 RSA signing key(s) at ${f.entra.origin}/${tid()}/discovery/v2.0/keys.` },
      { id: 'v1', label: 'v1 issuer (for v1 tokens)', ok: true, detail: `v1 issuer ${f.entra.origin}/${tid()}/.` },
    ]);
  });

  it('asks for the tenant and client first when the settings are incomplete, fetching nothing', async () => {
    const before = f.entra.countRequests();
    expect(await checkConfiguration(f.settings({ enabled: false, tenantId: '' }))).toEqual([
      {
        id: 'discovery',
        label: 'Discovery document reachable',
        ok: false,
        detail: 'Enter the tenant ID and client ID (and the authority host for a custom cloud) first.',
      },
    ]);
    expect(f.entra.countRequests()).toBe(before);
  });

  it('stops at discovery when it is unreachable or not an OpenID document', async () => {
    f.entra.setOutage(true);
    try {
      const steps = await checkConfiguration(f.settings());
      expect(steps).toHaveLength(1);
      expect(steps[0]!.ok).toBe(false);
      expect(steps[0]!.detail).toMatch(/HTTP 503\. Check the tenant ID, the cloud and the authority host/);
    } finally {
      f.entra.setOutage(false);
    }
    proxy.editDocument = () => ({ hello: 'world' });
    try {
      const steps = await checkConfiguration(f.settings({ authorityHost: proxy.authorityHost }));
      expect(steps.map((s) => [s.id, s.ok])).toEqual([['discovery', false]]);
      expect(steps[0]!.detail).toMatch(/^the answer is not an OpenID configuration document\./);
    } finally {
      proxy.editDocument = null;
    }
  });

  it('flags an issuer of another tenant, or on another host than the authority', async () => {
    const other = await checkConfiguration(f.settings({ openIdConfUrl: `${f.entra.origin}/${OTHER_TENANT_ID}/v2.0/.well-known/openid-configuration` }));
    expect(byId(other, 'issuer')).toMatchObject({ ok: false });
    expect(byId(other, 'issuer').detail).toContain(`does not name tenant ${tid()}`);
    const host = await checkConfiguration(f.settings({ authorityHost: proxy.authorityHost }));
    expect(byId(host, 'issuer').ok).toBe(false);
    expect(byId(host, 'discovery').ok).toBe(true);
    // the multi-tenant template names the tenant once filled in
    expect(byId(await checkConfiguration(f.settings({ openIdConfUrl: `${f.entra.origin}/common/v2.0/.well-known/openid-configuration` })), 'issuer').ok).toBe(
      true,
    );
  });

  it('names each overridden endpoint that differs from what the tenant publishes', async () => {
    const steps = await checkConfiguration(
      f.settings({ authorizationUrl: 'https://login.example.com/authorize', tokenUrl: 'https://login.example.com/token' }),
    );
    const e = byId(steps, 'endpoints');
    expect(e.ok).toBe(false);
    expect(e.detail).toBe(
      `The tenant's authorization endpoint is ${f.entra.origin}/${tid()}/oauth2/v2.0/authorize (settings: https://login.example.com/authorize); token endpoint is ${f.entra.origin}/${tid()}/oauth2/v2.0/token (settings: https://login.example.com/token). Clients would be sent elsewhere: check the overrides.`,
    );
    expect(byId(await checkConfiguration(f.settings({ tokenUrl: 'https://login.example.com/token' })), 'endpoints').detail).not.toContain(
      'authorization endpoint',
    );
    proxy.editDocument = (_p, d) => ({ ...d, authorization_endpoint: undefined, token_endpoint: undefined });
    try {
      expect(
        byId(await checkConfiguration(f.settings({ authorityHost: proxy.authorityHost, tokenUrl: 'https://login.example.com/token' })), 'endpoints').ok,
      ).toBe(true);
    } finally {
      proxy.editDocument = null;
    }
  });

  it('counts only RSA signing keys with a kid, and fails without one', async () => {
    const patch = { openIdConfUrl: proxy.openIdConfUrl };
    proxy.editKeys = (keys) => [
      ...keys,
      ...keys.map((k) => ({ ...k, use: 'enc' })),
      ...keys.map(({ kid: _k, ...k }) => k),
      ...keys.map((k) => ({ ...k, kty: 'EC' })),
      ...keys.map(({ use: _u, ...k }) => k),
    ];
    try {
      expect(byId(await checkConfiguration(f.settings(patch)), 'keys')).toMatchObject({ ok: true, detail: `2 RSA signing key(s) at ${proxy.origin}/keys.` });
      proxy.editKeys = (keys) => keys.map((k) => ({ ...k, use: 'enc' }));
      expect(byId(await checkConfiguration(f.settings(patch)), 'keys')).toMatchObject({ ok: false, detail: `No RSA signing key at ${proxy.origin}/keys.` });
      proxy.editKeys = () => 'nope' as never;
      expect(byId(await checkConfiguration(f.settings(patch)), 'keys')).toMatchObject({ ok: false, detail: 'the answer is not a JSON Web Key Set.' });
    } finally {
      proxy.editKeys = null;
    }
    proxy.failing = (p) => p === '/keys';
    try {
      expect(byId(await checkConfiguration(f.settings(patch)), 'keys').detail).toBe(`${proxy.origin}/keys: HTTP 503.`);
    } finally {
      proxy.failing = null;
    }
  });

  it('says v1 tokens would be refused when the v1 document fails or names another tenant', async () => {
    const host = { authorityHost: proxy.authorityHost };
    const v1Path = `/${tid()}/.well-known/openid-configuration`;
    proxy.failing = (p) => p === v1Path;
    try {
      const v1 = byId(await checkConfiguration(f.settings(host)), 'v1');
      expect(v1.ok).toBe(false);
      expect(v1.detail).toMatch(/HTTP 503\. v1 tokens would be refused; v2 tokens still work\.$/);
    } finally {
      proxy.failing = null;
    }
    proxy.editDocument = (p, d) => (p === v1Path ? { ...d, issuer: `${f.entra.origin}/${OTHER_TENANT_ID}/` } : d);
    try {
      expect(byId(await checkConfiguration(f.settings(host)), 'v1')).toMatchObject({
        ok: false,
        detail: 'The v1 discovery document does not name the tenant: v1 tokens would be refused.',
      });
    } finally {
      proxy.editDocument = null;
    }
    proxy.editDocument = (p, d) => (p === v1Path ? { nope: true } : d);
    try {
      expect(byId(await checkConfiguration(f.settings(host)), 'v1').ok).toBe(false);
    } finally {
      proxy.editDocument = null;
    }
    expect(byId(await checkConfiguration(f.settings(host)), 'v1').ok).toBe(true);
  });
});
