import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startServer, type RunningServer } from '@/test/support/processes';
import { tempDbFile, databaseUrlOf } from '@/test/support/tmp';

const TENANT = '8eaef023-2b34-4da1-9baa-8bc8c9d6a490';
const TENANT2 = '3c1e0b1a-6f8d-4c52-9d2e-7a4b5c6d7e8f';
const CLIENT = '6731de76-14a6-49ae-97bc-6eba6914391e';
const EXPECTED_KEYS = [
  'provider',
  'audience',
  'authorizationUrl',
  'tokenUrl',
  'redirectUrl',
  'tenantId',
  'clientId',
  'openIdConfUrl',
  'scope',
  'importUserGroups',
];

async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 3000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(['npm-start', 'next-start'] as const)('GET /sso-meta through a real server (%s)', (mode) => {
  const dbFile = tempDbFile();
  const env = { DATABASE_URL: databaseUrlOf(dbFile) };
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ databaseUrl: env.DATABASE_URL, mode });
  });
  afterAll(() => server?.stop());

  it('answers 404 sso_not_configured while SSO is not set up', async () => {
    const res = await fetch(`${server.origin}/sso-meta`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'sso_not_configured' });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('publishes the exact document, keys in order, after `ice-sso settings set`', async () => {
    const cli = runCli(['settings', 'set', `tenantId=${TENANT}`, `clientId=${CLIENT}`, 'enabled=true'], env);
    expect(cli.status, cli.stderr).toBe(0);
    const res = await waitFor(
      () => fetch(`${server.origin}/sso-meta`),
      (r) => r.status === 200,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const text = await res.text();
    expect(Object.keys(JSON.parse(text))).toEqual(EXPECTED_KEYS);
    expect(text).toBe(
      JSON.stringify({
        provider: 'azure_ad',
        audience: `api://${CLIENT}`,
        authorizationUrl: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/authorize`,
        tokenUrl: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`,
        redirectUrl: 'https://login.microsoftonline.com/common/oauth2/nativeclient',
        tenantId: TENANT,
        clientId: CLIENT,
        openIdConfUrl: `https://login.microsoftonline.com/${TENANT}/v2.0/.well-known/openid-configuration`,
        scope: `api://${CLIENT}/UserProfile.ReadWrite`,
        importUserGroups: true,
      }),
    );
  });

  it('serves a second change made by another process within 2 seconds, with a new ETag', async () => {
    const before = await fetch(`${server.origin}/sso-meta`);
    const etag = before.headers.get('etag');
    expect(etag).toBeTruthy();
    expect(runCli(['settings', 'set', `tenantId=${TENANT2}`, 'domainHint=contoso.com', 'importUserGroups=false'], env).status).toBe(0);
    const started = Date.now();
    const res = await waitFor(
      () => fetch(`${server.origin}/sso-meta`).then((r) => r.json() as Promise<Record<string, unknown>>),
      (d) => d.tenantId === TENANT2,
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res.tenantId).toBe(TENANT2);
    expect(res.importUserGroups).toBe(false);
    expect(Object.keys(res)).toEqual([...EXPECTED_KEYS, 'domainHint']);
    expect(res.domainHint).toBe('contoso.com');
    const after = await fetch(`${server.origin}/sso-meta`);
    expect(after.headers.get('etag')).not.toBe(etag);
  });

  it('answers 304 to a matching If-None-Match and 200 to a stale one', async () => {
    const first = await fetch(`${server.origin}/sso-meta`);
    const etag = first.headers.get('etag')!;
    const cached = await fetch(`${server.origin}/sso-meta`, { headers: { 'if-none-match': etag } });
    expect(cached.status).toBe(304);
    expect(cached.headers.get('etag')).toBe(etag);
    expect(await cached.text()).toBe('');
    const stale = await fetch(`${server.origin}/sso-meta`, { headers: { 'if-none-match': '"something-else"' } });
    expect(stale.status).toBe(200);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const get = await fetch(`${server.origin}/sso-meta`);
    const head = await fetch(`${server.origin}/sso-meta`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(get.headers.get('etag'));
    expect(head.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await head.text()).toBe('');
  });

  it('answers a CORS preflight from any origin', async () => {
    const res = await fetch(`${server.origin}/sso-meta`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET', 'access-control-request-headers': 'if-none-match' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toContain('GET');
  });

  it('goes back to 404 when SSO is disabled', async () => {
    expect(runCli(['settings', 'set', 'enabled=false'], env).status).toBe(0);
    const res = await waitFor(
      () => fetch(`${server.origin}/sso-meta`),
      (r) => r.status === 404,
    );
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'sso_not_configured' });
  });
});
