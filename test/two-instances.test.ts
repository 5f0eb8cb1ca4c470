import crypto from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEntraEmulator, type EntraEmulator } from '@/dev-entra';
import { openDb, type Db } from '@/db/client';
import { loginEvents, sessions, users } from '@/db/schema';
import { LEASE_MS, LEASE_RENEW_MS, leaseHolder } from '@/server/lib/lease';
import { hashToken } from '@/server/lib/tokens';
import { updateSettings } from '@/server/settings/service';
import { runCli, startServer, type RunningServer } from '@/test/support/processes';
import { tempDbFile, databaseUrlOf } from '@/test/support/tmp';
import { onPostgres } from '@/test/support/test-database';

/*
 * Two real server processes (`npm start`'s script) on one SQLite file, or on one PostgreSQL
 * database in the PostgreSQL run (vitest.pg.config.mts), with the emulator issuing real tokens:
 * what one instance did holds on the other.
 */
const LIMIT = 10;
const file = tempDbFile();
let entra: EntraEmulator;
let db: Db;
let a: RunningServer;
let b: RunningServer;

const pidOf = (s: RunningServer) => s.child.pid!;
const holderPid = () => Number(leaseHolder(db, 'background')?.split('/')[1] ?? NaN);
const keyFetches = () => entra.requests.filter((r) => r.path.endsWith('/keys')).length;
const login = (s: RunningServer, token: string, headers: Record<string, string> = {}) =>
  fetch(`${s.origin}/api/login`, { method: 'POST', headers: { authorization: `Bearer ${token}`, ...headers } });
const sessionOn = (s: RunningServer, token: string, method = 'GET') =>
  fetch(`${s.origin}/api/session`, { method, headers: { authorization: `Bearer ${token}` } });
const newUserToken = (options: Parameters<EntraEmulator['mintAccessToken']>[0] = {}) =>
  entra.mintAccessToken({ ...options, claims: { oid: crypto.randomUUID() } });

async function until(check: () => boolean | Promise<boolean>, ms: number): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await check()) return Date.now() - start;
    if (Date.now() - start > ms) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  entra = await startEntraEmulator();
  db = openDb(file);
  updateSettings(
    db,
    { cloud: 'custom', authorityHost: entra.authorityHost, tenantId: entra.tenantId, clientId: entra.clientId, enabled: true, loginRateLimitPerMinute: LIMIT },
    { kind: 'cli', name: 'test' },
  );
  const env = { LOG_LEVEL: 'warn', TRUST_PROXY: 'true' };
  a = await startServer({ databaseUrl: databaseUrlOf(file), env });
  // a leads (it started first) and fetched the keys; b then starts from the shared copy
  await until(() => keyFetches() === 1, 10_000);
  b = await startServer({ databaseUrl: databaseUrlOf(file), env });
});

afterAll(async () => {
  // a killed process has exited already (its stop() would wait for an exit that has happened)
  const alive = (s: RunningServer | undefined) => s && s.child.exitCode === null && s.child.signalCode === null;
  await Promise.all([a, b].filter(alive).map((s) => s!.stop()));
  await entra?.stop();
  db?.$client.close();
});

describe(`two instances on one ${onPostgres ? 'PostgreSQL database' : 'SQLite file'}`, () => {
  it('elect one leader for background work, and fetch the keys once for both; a rotated key is fetched by one instance and taken by the other from the shared copy', async () => {
    expect(holderPid()).toBe(pidOf(a));
    for (const s of [a, b, b, a]) expect((await login(s, await newUserToken())).status).toBe(200);
    expect(keyFetches()).toBe(1);
    // two rotations, each seen first by another instance: one fetch each, not one per instance
    const first = await entra.addKey({ makeCurrent: true });
    expect((await login(a, await newUserToken({ kid: first }))).status).toBe(200);
    expect((await login(b, await newUserToken({ kid: first }))).status).toBe(200);
    const second = await entra.addKey({ makeCurrent: true });
    expect((await login(b, await newUserToken({ kid: second }))).status).toBe(200);
    expect((await login(a, await newUserToken({ kid: second }))).status).toBe(200);
    expect(keyFetches()).toBe(3);
    expect(entra.requests.filter((r) => r.path.endsWith('/openid-configuration')).length).toBe(2);
  });

  it('serve a session opened on one on the other, and end it on both with a logout on either', async () => {
    const res = await login(a, await newUserToken());
    expect(res.status).toBe(200);
    const { session } = (await res.json()) as { session: { token: string } };
    expect((await sessionOn(b, session.token)).status).toBe(200);
    expect((await sessionOn(b, session.token, 'DELETE')).status).toBeLessThan(300);
    expect((await sessionOn(a, session.token)).status).toBe(401);
    expect((await sessionOn(b, session.token)).status).toBe(401);
  });

  it('refuse a token replayed on the other instance', async () => {
    const token = await newUserToken();
    expect((await login(a, token)).status).toBe(200);
    const replay = await login(b, token);
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ reason: 'token_replayed' });
  });

  it(`share one refused-login limit per address: ${LIMIT / 2} refusals on each, then the next is 429 on either`, async () => {
    const from = { 'x-forwarded-for': '198.51.100.7' };
    for (const s of [a, b]) {
      for (let i = 0; i < LIMIT / 2; i++) expect((await login(s, 'not-a-token', from)).status).toBe(401);
    }
    for (const s of [a, b]) {
      const res = await login(s, await newUserToken(), from);
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // another address is not limited
    expect((await login(b, await newUserToken(), { 'x-forwarded-for': '198.51.100.8' })).status).toBe(200);
  });

  it('serve a settings change made through one instance at once there, and within 2 s on the other', async () => {
    const admin = await entra.mintAccessToken({ user: 'admin' });
    const saved = await fetch(`${a.origin}/api/trpc/settings.update`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'x-ice-sso-csrf': '1', 'content-type': 'application/json' },
      body: JSON.stringify({ patch: { domainHint: 'contoso.example' } }),
    });
    expect(saved.status, await saved.clone().text()).toBe(200);
    const savedAt = Date.now();
    const served = async (s: RunningServer) =>
      ((await (await fetch(`${s.origin}/sso-meta`)).json()) as { domainHint?: string }).domainHint === 'contoso.example';
    expect(await served(a)).toBe(true);
    await until(() => served(b), 2_000);
    expect(Date.now() - savedAt).toBeLessThanOrEqual(2_000);
  });

  it('lose no acknowledged login when the leader is killed (kill -9) in a burst on both; the other takes the lead within the lease time and the chains verify', async () => {
    const acknowledged: Array<{ token: string; userId: string }> = [];
    let running = true;
    const worker = async (s: RunningServer) => {
      while (running) {
        try {
          const res = await login(s, await newUserToken());
          if (res.status === 200) {
            const body = (await res.json()) as { session: { token: string }; user: { id: string } };
            acknowledged.push({ token: body.session.token, userId: body.user.id });
          }
        } catch {
          // the killed instance: no answer, nothing acknowledged
        }
      }
    };
    const workers = [a, a, a, b, b, b].map(worker);
    await until(() => acknowledged.length >= 30, 10_000);
    const killedAt = Date.now();
    a.child.kill('SIGKILL');
    await until(() => holderPid() === pidOf(b), LEASE_MS + LEASE_RENEW_MS + 2_000);
    const takeover = Date.now() - killedAt;
    running = false;
    await Promise.all(workers);
    expect(takeover).toBeLessThanOrEqual(LEASE_MS + LEASE_RENEW_MS + 2_000);

    expect(acknowledged.length).toBeGreaterThan(30);
    for (const { token, userId } of acknowledged) {
      const session = db
        .select()
        .from(sessions)
        .where(eq(sessions.tokenHash, hashToken(token)))
        .get();
      expect(session?.userId).toBe(userId);
      const history = db
        .select({ id: loginEvents.id })
        .from(loginEvents)
        .where(and(eq(loginEvents.userId, userId), eq(loginEvents.outcome, 'accepted')))
        .all();
      expect(history).toHaveLength(1);
      expect(db.select({ id: users.id }).from(users).where(eq(users.id, userId)).get()).toBeDefined();
    }
    // the survivor serves on
    expect((await login(b, await newUserToken())).status).toBe(200);
    const verify = runCli(['audit', 'verify'], { DATABASE_URL: databaseUrlOf(file) });
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout.match(/chain intact/g)).toHaveLength(2);
  });
});
