import { desc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEntraEmulator, type EntraEmulator } from '@/dev-entra';
import { openDb, type Db } from '@/db/client';
import { loginEvents } from '@/db/schema';
import { updateSettings } from '@/server/settings/service';
import { runCli, startServer, type RunningServer } from '@/test/support/processes';
import { tempDbFile, databaseUrlOf } from '@/test/support/tmp';
import { rawRequest } from '@/test/fuzz/raw-http';

/**
 * The doors of a real server, under `npm start` (the custom server) and plain `next start`,
 * behind one trusted proxy (TRUST_PROXY=true) at an https public URL: the headers browsers
 * read on every response, the console's CSP nonce, the client address as the proxy gave it
 * (never as the client wrote it), the body cap, and the fast routes' refusals, limits and
 * /sso-meta caching answered alike by both doors.
 */
const PUBLIC_URL = 'https://sso.example.test';
const PASSWORD = 'door test password 2026!';

describe.each(['npm-start', 'next-start'] as const)('doors under %s', (mode) => {
  const file = tempDbFile();
  let entra: EntraEmulator;
  let server: RunningServer;
  let db: Db;
  const env = { DATABASE_URL: databaseUrlOf(file) };

  beforeAll(async () => {
    entra = await startEntraEmulator();
    db = openDb(file);
    updateSettings(
      db,
      { cloud: 'custom', authorityHost: entra.authorityHost, tenantId: entra.tenantId, clientId: entra.clientId, enabled: true, loginRateLimitPerMinute: 3 },
      { kind: 'cli', name: 'test' },
    );
    server = await startServer({ databaseUrl: env.DATABASE_URL, mode, env: { TRUST_PROXY: 'true', PUBLIC_URL, LOG_LEVEL: 'warn' } });
  });
  afterAll(async () => {
    await server?.stop();
    await entra?.stop();
    db?.$client.close();
  });

  const url = (p: string) => `${server.origin}${p}`;
  const garbageLogin = (forwardedFor: string, extra: Record<string, string> = {}) =>
    fetch(url('/api/login'), { method: 'POST', headers: { authorization: 'Bearer not.a.jwt', 'x-forwarded-for': forwardedFor, ...extra } });
  const lastIp = () => db.select({ ip: loginEvents.ip }).from(loginEvents).orderBy(desc(loginEvents.id)).limit(1).get()?.ip;

  it('sends nosniff, Referrer-Policy, HSTS and a fresh x-request-id on every door, fast routes, pages, tRPC, files and errors included', async () => {
    const html = await (await fetch(url('/'))).text();
    const asset = /\/_next\/static\/[^"]+\.js/.exec(html)?.[0];
    expect(asset).toBeTruthy();
    const doors: Array<[string, RequestInit?]> = [
      ['/sso-meta'],
      ['/sso-meta', { method: 'OPTIONS' }],
      ['/api/login', { method: 'POST' }],
      ['/api/login', { method: 'GET' }],
      ['/api/session'],
      ['/api/trpc/auth.me'],
      ['/api/trpc/no.such.procedure'],
      ['/api/audit/export'],
      ['/'],
      ['/sso'],
      ['/setup'],
      ['/users'],
      ['/no-such-page'],
      [asset!],
    ];
    const ids = new Set<string>();
    for (const [path, init] of doors) {
      const res = await fetch(url(path), { ...init, headers: { ...(init?.headers as Record<string, string>), 'x-request-id': 'client-chosen-id' } });
      const where = `${init?.method ?? 'GET'} ${path} → ${res.status}`;
      expect(res.status, where).toBeLessThan(500);
      expect(res.headers.get('x-content-type-options'), where).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), where).toBe('no-referrer');
      expect(res.headers.get('strict-transport-security'), where).toBe('max-age=31536000');
      const id = res.headers.get('x-request-id');
      expect(id, where).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      ids.add(id!);
    }
    // one ID per request, never the client's
    expect(ids.size).toBe(doors.length);
  });

  it('gives console pages a CSP whose per-request nonce is on every script Next renders', async () => {
    const nonces = new Set<string>();
    for (const path of ['/', '/users', '/setup', '/sso']) {
      const res = await fetch(url(path));
      const csp = res.headers.get('content-security-policy') ?? '';
      const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
      expect(nonce, `${path}: ${csp}`).toBeTruthy();
      nonces.add(nonce!);
      const directives = Object.fromEntries(
        csp
          .split(';')
          .map((d) => d.trim().split(/\s+/))
          .map(([k, ...v]) => [k, v.join(' ')]),
      );
      expect(directives['script-src']).toBe(`'self' 'nonce-${nonce}' 'strict-dynamic'`);
      expect(directives['connect-src']).toBe(`'self' ${new URL(entra.authorityHost).origin}`);
      expect(directives['object-src']).toBe("'none'");
      expect(directives['base-uri']).toBe("'none'");
      expect(directives['form-action']).toBe("'self'");
      // /sso is MSAL's redirect URI, loaded by its hidden renewal iframe inside our own pages
      expect(directives['frame-ancestors']).toBe(path === '/sso' ? "'self'" : "'none'");
      const html = await res.text();
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag, path).toContain(`nonce="${nonce}"`);
    }
    expect(nonces.size).toBe(4);
  });

  it('sends no CSP on JSON doors (nothing there runs script)', async () => {
    expect((await fetch(url('/sso-meta'))).headers.get('content-security-policy')).toBeNull();
    expect((await fetch(url('/api/trpc/auth.me'))).headers.get('content-security-policy')).toBeNull();
  });

  it("takes the client address from the proxy's right-most X-Forwarded-For entry: a victim's address written by the attacker cannot get the victim limited", async () => {
    for (let i = 0; i < 3; i++) expect((await garbageLogin('203.0.113.7, 198.51.100.66')).status).toBe(401);
    expect(lastIp()).toBe('198.51.100.66');
    expect((await garbageLogin('203.0.113.7, 198.51.100.66')).status).toBe(429);
    const res = await fetch(url('/api/login'), {
      method: 'POST',
      headers: { authorization: `Bearer ${await entra.mintAccessToken()}`, 'x-forwarded-for': '203.0.113.7' },
    });
    expect(res.status).toBe(200);
    expect(lastIp()).toBe('203.0.113.7');
  });

  it('never believes a client-written client-address header, nor a forwarded entry that is not an IP address', async () => {
    await garbageLogin('', { 'x-ice-sso-client-ip': '192.0.2.99 c2lnbmVk' });
    expect(lastIp()).toBe('127.0.0.1');
    await garbageLogin('192.0.2.10, <script>');
    expect(lastIp()).toBe('127.0.0.1');
    await garbageLogin('::ffff:192.0.2.11');
    expect(lastIp()).toBe('192.0.2.11');
  });

  it('limits IPv6 clients per /64: a new address in the same /64 is limited, the next /64 is not', async () => {
    for (const host of ['1', '2', '3']) expect((await garbageLogin(`2001:db8:1:2::${host}`)).status).toBe(401);
    expect((await garbageLogin('2001:db8:1:2:ffff:ffff:ffff:ffff')).status).toBe(429);
    expect((await garbageLogin('2001:db8:1:3::1')).status).toBe(401);
    expect(lastIp()).toBe('2001:db8:1:3::1');
  });

  it('answers 413 with the JSON reason to a 30 MB tRPC body, declared or chunked, without waiting for it', async () => {
    const big = Buffer.alloc(30 * 1024 * 1024, 0x61);
    const started = Date.now();
    const declared = await fetch(url('/api/trpc/auth.localSignIn'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({ error: 'invalid_request', reason: 'request_too_large', message: expect.any(String) });
    const chunks = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 30; i++) c.enqueue(big.subarray(i * 1024 * 1024, (i + 1) * 1024 * 1024));
        c.close();
      },
    });
    const chunked = await fetch(url('/api/trpc/auth.localSignIn'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect((await chunked.json()).reason).toBe('request_too_large');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('answers a malformed console cookie as no session, never 500', async () => {
    for (const cookie of ['ice_sso_console=%E0%A4%A', '__Host-ice_sso_console=%E0%A4%A', 'ice_sso_console="x', '=;;=']) {
      const res = await fetch(url('/api/trpc/auth.me'), { headers: { cookie } });
      expect(res.status, cookie).toBe(200);
    }
  });

  it('refuses methods no door has (CONNECT included) with JSON and a request ID, before Next', async () => {
    for (const [method, path] of [
      ['TRACE', '/api/trpc/auth.me'],
      ['M-SEARCH', '/'],
      ['PUT', '/api/login'],
      ['POST', '/api/audit/export'],
      ['CONNECT', 'example.com:443'],
    ]) {
      const res = await rawRequest(server.port, { method: method!, target: path!, headers: [] });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(JSON.parse(res.body.toString())).toMatchObject({ error: 'invalid_request', reason: 'malformed_request' });
      expect(res.headers['x-request-id'], `${method} ${path}`).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
  });

  it('refuses a path whose percent-encoding does not decode with 400 JSON, on every kind of route', async () => {
    for (const path of ['/api/trpc/%u0041', '/api/trpc/auth.me%E0%A4%A', '/users/%zz', '/%C0', '/sso-meta%']) {
      const res = await rawRequest(server.port, { method: 'GET', target: path, headers: [] });
      expect(res.status, path).toBe(400);
      expect(JSON.parse(res.body.toString()), path).toMatchObject({ error: 'invalid_request', reason: 'malformed_request' });
    }
  });

  // a fresh documentation address per request: the suite's limit (3 refusals a minute) stays out of these answers
  let nextClient = 0;
  const fresh = () => `192.0.2.${100 + nextClient++}`;
  const answer = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(url(path), { ...init, headers: { 'x-forwarded-for': fresh(), ...(init.headers as Record<string, string>) } });
    const text = await res.text();
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      cache: res.headers.get('cache-control'),
      auth: res.headers.get('www-authenticate'),
      body: text ? JSON.parse(text) : null,
    };
  };
  const refusal = (status: number, error: string, reason: string, auth: string | null = null) => ({
    status,
    type: 'application/json; charset=utf-8',
    cache: 'no-store',
    auth,
    body: { error, reason, message: expect.any(String) },
  });
  const bearerChallenge = expect.stringMatching(/^Bearer error="invalid_token", error_description="[^"]+"$/);

  it("answers the fast routes' refusals with the same status, JSON body and headers as the other door", async () => {
    const cases: Array<[string, RequestInit, ReturnType<typeof refusal>]> = [
      ['/api/login', { method: 'POST' }, refusal(400, 'invalid_request', 'missing_token')],
      ['/api/login', { method: 'POST', headers: { authorization: 'Basic dXNlcjpwYXNz' } }, refusal(400, 'invalid_request', 'malformed_request')],
      [
        '/api/login',
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"token":' },
        refusal(400, 'invalid_request', 'malformed_request'),
      ],
      ['/api/login', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'abc' }, refusal(400, 'invalid_request', 'malformed_request')],
      [
        '/api/login',
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"nothing":1}' },
        refusal(400, 'invalid_request', 'missing_token'),
      ],
      ['/api/login', { method: 'POST', headers: { authorization: 'Bearer not.a.jwt' } }, refusal(401, 'invalid_token', 'malformed_token', bearerChallenge)],
      ['/api/session', {}, refusal(400, 'invalid_request', 'missing_token')],
      ['/api/session', { headers: { authorization: 'Bearer no-such-session' } }, refusal(401, 'invalid_token', 'session_not_found', bearerChallenge)],
      [
        '/api/session',
        { method: 'DELETE', headers: { authorization: 'Bearer no-such-session' } },
        refusal(401, 'invalid_token', 'session_not_found', bearerChallenge),
      ],
    ];
    for (const [path, init, expected] of cases)
      expect(await answer(path, init), `${init.method ?? 'GET'} ${path} ${JSON.stringify(init.headers ?? {})}`).toEqual(expected);
  });

  it('answers 413 request_too_large to a login body over 64 KiB, declared or chunked, and 431 with the JSON reason and a request ID to oversized headers on every fast route', async () => {
    const big = JSON.stringify({ token: 'a'.repeat(70 * 1024) });
    expect(await answer('/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: big })).toEqual(
      refusal(413, 'invalid_request', 'request_too_large'),
    );
    const chunks = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode(big.slice(0, 40_000)));
        c.enqueue(new TextEncoder().encode(big.slice(40_000)));
        c.close();
      },
    });
    const chunked = { method: 'POST', headers: { 'content-type': 'application/json' }, body: chunks, duplex: 'half' } as RequestInit;
    expect(await answer('/api/login', chunked)).toEqual(refusal(413, 'invalid_request', 'request_too_large'));
    for (const [method, path] of [
      ['POST', '/api/login'],
      ['GET', '/sso-meta'],
      ['GET', '/api/session'],
    ]) {
      const res = await rawRequest(server.port, { method: method!, target: path!, headers: [['x-padding', 'a'.repeat(20 * 1024)]] });
      expect(res.status, `${method} ${path}`).toBe(431);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-request-id'], `${method} ${path}`).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(JSON.parse(res.body.toString())).toEqual({ error: 'invalid_request', reason: 'request_too_large', message: expect.any(String) });
    }
  });

  it('serves /sso-meta with CORS, its ETag, 304 on If-None-Match, HEAD with no body (and its length under npm start), and OPTIONS 204', async () => {
    const res = await fetch(url('/sso-meta'));
    const body = await res.text();
    const etag = res.headers.get('etag')!;
    expect(res.status).toBe(200);
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cache-control')).toBe('public, max-age=10');
    expect(JSON.parse(body)).toMatchObject({ provider: 'azure_ad', tenantId: entra.tenantId, clientId: entra.clientId });
    const again = await fetch(url('/sso-meta'), { headers: { 'if-none-match': `W/${etag}, "other"` } });
    expect([again.status, await again.text(), again.headers.get('etag')]).toEqual([304, '', etag]);
    const head = await rawRequest(server.port, { method: 'HEAD', target: '/sso-meta', headers: [] });
    expect([head.status, head.headers.etag, head.body.length]).toEqual([200, etag, 0]);
    // Next drops a HEAD answer's content-length whatever the route handler says (with or without a body); the fast door keeps it
    if (mode === 'npm-start') expect(head.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    const options = await fetch(url('/sso-meta'), { method: 'OPTIONS' });
    expect([options.status, options.headers.get('access-control-allow-methods')]).toEqual([204, 'GET, HEAD, OPTIONS']);
  });

  it('records a refused login under the address the proxy gave on the fast route, whichever way the token came', async () => {
    await garbageLogin('198.51.100.201');
    expect(lastIp()).toBe('198.51.100.201');
    await fetch(url('/api/login'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.202' },
      body: '{"token":"not.a.jwt"}',
    });
    expect(lastIp()).toBe('198.51.100.202');
  });

  it('sets the console cookie __Host-prefixed and Secure on an https deployment, and reads it back under that name only', async () => {
    const link = runCli(['admin', 'reset'], env).stdout;
    const token = /#token=([\w-]+)/.exec(link)?.[1];
    expect(token).toBeTruthy();
    const setup = await fetch(url('/api/trpc/auth.completeSetup'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-ice-sso-csrf': '1' },
      body: JSON.stringify({ token, username: `door-${mode}`, password: PASSWORD }),
    });
    expect(setup.status).toBe(200);
    const setCookie = setup.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^__Host-ice_sso_console=[^;]+; Max-Age=\d+; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
    const value = /^__Host-ice_sso_console=([^;]+)/.exec(setCookie)![1]!;
    const me = async (cookie: string) =>
      ((await (await fetch(url('/api/trpc/auth.me'), { headers: { cookie } })).json()) as { result: { data: { actor: { name: string } | null } } }).result.data
        .actor;
    expect((await me(`__Host-ice_sso_console=${value}`))?.name).toBe(`door-${mode}`);
    // a plain-named cookie could have been planted by a sibling subdomain: not read over https
    expect(await me(`ice_sso_console=${value}`)).toBeNull();
  });
});
