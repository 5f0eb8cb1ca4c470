import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '@/db/client';
import { issueSetupToken } from '@/server/sessions/local-admin';
import { useLoginFixture } from '@/test/support/login-fixture';
import { startServer, type RunningServer } from '@/test/support/processes';
import { tempDbFile, databaseUrlOf } from '@/test/support/tmp';
import { onPostgres } from '@/test/support/test-database';

const METRICS_TOKEN = 'test-metrics-token-0123456789';
const BREAK_GLASS = { username: 'breakglass', password: 'correct horse battery staple 42' };

/** The value of one sample line of Prometheus text (`name{labels} value`), or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe.each(['npm-start', 'next-start'] as const)('health endpoints through a real server (%s), SSO not configured, METRICS_TOKEN unset', (mode) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ databaseUrl: databaseUrlOf(tempDbFile()), mode, env: { METRICS_TOKEN: '' } });
  });
  afterAll(() => server?.stop());

  it('answers GET /healthz 200 {"status":"ok"} with Cache-Control: no-store, and HEAD with no body', async () => {
    const res = await fetch(`${server.origin}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.text()).toBe('{"status":"ok"}');
    const head = await fetch(`${server.origin}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('answers GET /readyz 200 ready, every check named, signing keys marked not applicable while SSO is not configured', async () => {
    const res = await fetch(`${server.origin}/readyz`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({
      status: 'ready',
      checks: { database: { ok: true }, migrations: { ok: true }, signing_keys: { ok: true, state: 'sso_not_configured' } },
    });
    expect(res.status).toBe(200);
    expect((await fetch(`${server.origin}/readyz`, { method: 'HEAD' })).status).toBe(200);
  });

  it('refuses other methods on the health paths with a JSON 405 naming the allowed ones', async () => {
    for (const p of ['/healthz', '/readyz', '/metrics']) {
      const res = await fetch(`${server.origin}${p}`, { method: 'POST' });
      expect(res.status, p).toBe(405);
      expect(res.headers.get('allow'), p).toBe('GET, HEAD');
      expect(await res.json(), p).toMatchObject({ reason: 'malformed_request' });
    }
  });

  it('answers /metrics 404 while METRICS_TOKEN is unset, with or without a token', async () => {
    for (const headers of [{}, { authorization: `Bearer ${METRICS_TOKEN}` }] as Record<string, string>[]) {
      const res = await fetch(`${server.origin}/metrics`, { headers });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: 'not_found', reason: 'not_found' });
    }
  });
});

describe.each(['npm-start', 'next-start'] as const)('GET /metrics with METRICS_TOKEN set (%s)', (mode) => {
  const file = tempDbFile();
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ databaseUrl: databaseUrlOf(file), mode, env: { METRICS_TOKEN } });
  });
  afterAll(() => server?.stop());

  it('answers 401 with WWW-Authenticate: Bearer and the house error body without the token or with a wrong one', async () => {
    const missing = await fetch(`${server.origin}/metrics`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expect(await missing.json()).toMatchObject({ error: 'unauthorized', reason: 'metrics_token_missing' });
    for (const wrong of [`${METRICS_TOKEN}x`, 'short', METRICS_TOKEN.slice(0, -1)]) {
      const res = await fetch(`${server.origin}/metrics`, { headers: { authorization: `Bearer ${wrong}` } });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="metrics", error="invalid_token"');
      const text = await res.text();
      expect(JSON.parse(text)).toMatchObject({ error: 'unauthorized', reason: 'metrics_token_invalid' });
      expect(text).not.toContain(METRICS_TOKEN);
    }
  });

  it('serves Prometheus text with the process metrics and every ice_sso metric declared, with the right token', async () => {
    const res = await fetch(`${server.origin}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();
    for (const name of [
      'ice_sso_logins_total',
      'ice_sso_login_duration_seconds',
      'ice_sso_key_refreshes_total',
      'ice_sso_database_errors_total',
      'ice_sso_rate_limited_total',
      'ice_sso_break_glass_sign_ins_total',
      'ice_sso_database_available',
      'process_cpu_user_seconds_total',
      'nodejs_eventloop_lag_seconds',
    ])
      expect(text, name).toContain(`# TYPE ${name} `);
    expect(sample(text, 'ice_sso_database_available')).toBe(1);
    expect(text).not.toContain(METRICS_TOKEN);
  });

  it('counts break-glass sign-ins by outcome and reason, counted by the console API and served by /metrics into one registry', async () => {
    const db = openDb(file);
    const { token } = issueSetupToken(db, 'setup');
    db.$client.close();
    const trpc = (proc: string, body: unknown) =>
      fetch(`${server.origin}/api/trpc/${proc}`, {
        method: 'POST',
        headers: { 'x-ice-sso-csrf': '1', 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await trpc('auth.completeSetup', { ...BREAK_GLASS, token })).status).toBe(200);
    expect((await trpc('auth.localSignIn', BREAK_GLASS)).status).toBe(200);
    expect((await trpc('auth.localSignIn', { ...BREAK_GLASS, password: 'not the password at all 1' })).status).toBe(401);
    const text = await (await fetch(`${server.origin}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    expect(sample(text, 'ice_sso_break_glass_sign_ins_total{outcome="accepted",reason="none"}')).toBe(1);
    expect(sample(text, 'ice_sso_break_glass_sign_ins_total{outcome="refused",reason="bad_credentials"}')).toBe(1);
  });
});

describe('readiness, metrics and a database outage with SSO configured (npm start)', () => {
  // the fixture's server inherits the environment; hooks run in order, so this comes first
  beforeAll(() => {
    process.env.METRICS_TOKEN = METRICS_TOKEN;
  });
  const f = useLoginFixture({ settings: { loginRateLimitPerMinute: 2 } });
  afterAll(() => {
    delete process.env.METRICS_TOKEN;
  });
  const scrape = async () => (await fetch(`${f.server.origin}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const readyz = async () => {
    const res = await fetch(`${f.server.origin}/readyz`);
    return {
      status: res.status,
      body: (await res.json()) as { status: string; checks: Record<string, { ok: boolean; reason?: string; code?: string; state?: string }> },
    };
  };

  it('is ready with the signing keys loaded from the network', async () => {
    const r = await readyz();
    expect(r).toEqual({
      status: 200,
      body: { status: 'ready', checks: { database: { ok: true }, migrations: { ok: true }, signing_keys: { ok: true, state: 'network' } } },
    });
  });

  it('counts sign-ins by outcome and reason, their latency, key refreshes and the login limiter', async () => {
    expect((await f.login(await f.entra.mintAccessToken())).status).toBe(200);
    expect((await f.login('not.a.jwt')).status).toBe(401);
    expect((await f.login('not.a.jwt')).status).toBe(401);
    const limited = await f.login('not.a.jwt');
    expect(limited.status).toBe(429);
    const text = await scrape();
    expect(sample(text, 'ice_sso_logins_total{outcome="accepted",reason="none"}')).toBe(1);
    expect(sample(text, 'ice_sso_logins_total{outcome="refused",reason="malformed_token"}')).toBe(2);
    expect(sample(text, 'ice_sso_logins_total{outcome="refused",reason="too_many_attempts"}')).toBe(1);
    expect(sample(text, 'ice_sso_rate_limited_total{limiter="login_address"}')).toBe(1);
    expect(sample(text, 'ice_sso_login_duration_seconds_count{outcome="accepted"}')).toBe(1);
    expect(sample(text, 'ice_sso_login_duration_seconds_count{outcome="refused"}')).toBe(3);
    expect(sample(text, 'ice_sso_login_duration_seconds_bucket{le="+Inf",outcome="accepted"}')).toBe(1);
    expect(sample(text, 'ice_sso_key_refreshes_total{outcome="ok"}')).toBeGreaterThanOrEqual(1);
  });

  // SQLite's write lock (the PostgreSQL outage: test/postgres-outage.test.ts)
  it.skipIf(onPostgres)(
    'turns unready within 5 s and answers logins 503 database_unavailable while another connection holds the write lock, refuses a logout the same way, keeps /sso-meta and /healthz, and recovers by itself',
    async () => {
      // the next logins must not be refused by the address limiter the test above filled
      await f.setSettings({ loginRateLimitPerMinute: 1000 });
      const signedIn = await f.login(await f.entra.mintAccessToken());
      const { session } = (await signedIn.json()) as { session: { token: string } };
      const historyBefore = f.loginEventCount();
      const holder = new Database(f.db.$client.name);
      holder.exec('BEGIN IMMEDIATE');
      let released = false;
      try {
        let started = Date.now();
        const unready = await readyz();
        expect(Date.now() - started).toBeLessThan(5000);
        expect(unready.status).toBe(503);
        expect(unready.body.status).toBe('unready');
        expect(unready.body.checks.database).toEqual({ ok: false, reason: 'database_busy', code: 'SQLITE_BUSY' });

        // the first login waits the connection's busy timeout (5 s) and is refused, never a 500 or a hang
        started = Date.now();
        const first = await f.login(await f.entra.mintAccessToken());
        const firstMs = Date.now() - started;
        expect(first.status).toBe(503);
        expect(first.headers.get('retry-after')).toBe('5');
        expect(await first.json()).toMatchObject({ error: 'temporarily_unavailable', reason: 'database_unavailable' });
        expect(firstMs).toBeLessThan(15_000);

        // the rest are answered at once while the outage lasts
        started = Date.now();
        const second = await f.login(await f.entra.mintAccessToken());
        expect(second.status).toBe(503);
        expect(await second.json()).toMatchObject({ reason: 'database_unavailable' });
        expect(Date.now() - started).toBeLessThan(1000);

        const during = await readyz();
        expect(during.status).toBe(503);
        expect(during.body.checks.database).toMatchObject({ ok: false, reason: 'database_unavailable', code: 'SQLITE_BUSY' });
        expect((await fetch(`${f.server.origin}/sso-meta`)).status).toBe(200);
        expect((await fetch(`${f.server.origin}/healthz`)).status).toBe(200);
        // a logout is a write too: refused the same way, at once, not a 500
        started = Date.now();
        const logout = await fetch(`${f.server.origin}/api/session`, { method: 'DELETE', headers: { authorization: `Bearer ${session.token}` } });
        expect(logout.status).toBe(503);
        expect(await logout.json()).toMatchObject({ error: 'temporarily_unavailable', reason: 'database_unavailable' });
        expect(Date.now() - started).toBeLessThan(1000);

        const text = await scrape();
        expect(sample(text, 'ice_sso_database_available')).toBe(0);
        expect(sample(text, 'ice_sso_database_errors_total{code="SQLITE_BUSY"}')).toBeGreaterThanOrEqual(1);
        expect(sample(text, 'ice_sso_logins_total{outcome="failed",reason="database_unavailable"}')).toBe(2);

        holder.exec('ROLLBACK');
        released = true;
        // the outage probe runs every 500 ms: ready and signing in again within 2 s
        const deadline = Date.now() + 2000;
        let after = await readyz();
        while (after.status !== 200 && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 100));
          after = await readyz();
        }
        expect(after.status).toBe(200);
        expect((await f.login(await f.entra.mintAccessToken())).status).toBe(200);
        expect(sample(await scrape(), 'ice_sso_database_available')).toBe(1);
        // the refused attempts of the outage left no history row (it could not be written); the login after it did
        expect(f.loginEventCount()).toBe(historyBefore + 1);
      } finally {
        if (!released) holder.exec('ROLLBACK');
        holder.close();
      }
    },
  );
});

describe('readiness while Microsoft is unreachable and no keys were ever saved (npm start)', () => {
  const f = useLoginFixture({ beforeServer: (entra) => entra.setOutage(true) });

  it('is unready with keys_unavailable, tries the network at most once per 10 s however often it is asked, and turns ready once Microsoft answers', async () => {
    const get = async () => {
      const res = await fetch(`${f.server.origin}/readyz`);
      return { status: res.status, body: (await res.json()) as { checks: Record<string, unknown> } };
    };
    const first = await get();
    expect(first.status).toBe(503);
    expect(first.body.checks).toMatchObject({ database: { ok: true }, migrations: { ok: true }, signing_keys: { ok: false, reason: 'keys_unavailable' } });
    const before = f.entra.countRequests();
    for (let i = 0; i < 5; i++) expect((await get()).status).toBe(503);
    expect(f.entra.countRequests()).toBe(before);
    f.entra.setOutage(false);
    const deadline = Date.now() + 12_000;
    let now = await get();
    while (now.status !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      now = await get();
    }
    expect(now.status).toBe(200);
    expect(now.body.checks.signing_keys).toEqual({ ok: true, state: 'network' });
  });
});
