import { CLIENT_ADDRESS_HEADER, clientAddressHeaderValue } from '@/server/lib/client-address';
import { eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '@/db/client';
import { changeEvents } from '@/db/schema';
import { MAX_BATCH_SIZE } from '@/shared/trpc-batching';
import { passwordHashPool } from '@/server/sessions/hash-pool';
import { completeSetup, issueSetupToken } from '@/server/sessions/local-admin';
import { reservePasswordCheck, USER_NAME_BUDGET } from '@/server/sessions/sign-in-budget';
import { startServer, type RunningServer } from '@/test/support/processes';
import { tempDbFile, databaseUrlOf } from '@/test/support/tmp';
import { appRouter } from '../root';
import { callerFor, contextFor } from '../test-contexts';

// the real handler opens the database named by DATABASE_URL (read once per process)
const handlerDbFile = tempDbFile();
process.env.DATABASE_URL = databaseUrlOf(handlerDbFile);

const ADMIN = { username: 'breakglass', password: 'correct horse battery staple 42' };
const CSRF = { 'x-ice-sso-csrf': '1', 'content-type': 'application/json' };

function lockName(db: Db, username: string): void {
  for (let i = 0; i < USER_NAME_BUDGET; i++) reservePasswordCheck(db, { username, ip: `198.51.100.${i}` });
}

function holdEveryHashPlace(): () => void {
  const pool = passwordHashPool();
  const held = Array.from({ length: pool.limits.threads + pool.limits.maxWaiting }, () => pool.admit());
  return () => held.forEach((t) => t.release());
}

describe('auth through createCaller', () => {
  it('answers a locked-out sign-in with TOO_MANY_REQUESTS and a Retry-After header', async () => {
    const db = openDb(tempDbFile());
    lockName(db, ADMIN.username);
    const ctx = contextFor(db, 'anonymous');
    await expect(callerFor(db, 'anonymous', ctx).auth.localSignIn(ADMIN)).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS', cause: { reason: 'locked_out' } });
    expect(Number(ctx.resHeaders.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('answers a sign-in past the hashing bound with TOO_MANY_REQUESTS sign_in_busy and a Retry-After header', async () => {
    const db = openDb(tempDbFile());
    const release = holdEveryHashPlace();
    try {
      const ctx = contextFor(db, 'anonymous');
      await expect(callerFor(db, 'anonymous', ctx).auth.localSignIn(ADMIN)).rejects.toMatchObject({
        code: 'TOO_MANY_REQUESTS',
        cause: { reason: 'sign_in_busy' },
      });
      expect(Number(ctx.resHeaders.get('retry-after'))).toBeGreaterThanOrEqual(1);
    } finally {
      release();
    }
  });

  it('makes setupStatus a mutation, so that the token never travels in a GET query string', () => {
    const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;
    expect(procedures['auth.setupStatus']?._def.type).toBe('mutation');
  });
});

describe('auth through the real /api/trpc handler', () => {
  let db: Db;
  let handle: (req: Request) => Promise<Response>;
  beforeAll(async () => {
    db = openDb(handlerDbFile);
    await completeSetup(db, { ...ADMIN, token: issueSetupToken(db, 'setup').token });
    handle = (await import('../http')).handleTrpcRequest;
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    handle(new Request(`http://localhost/api/trpc/${path}`, { method: 'POST', headers: { ...CSRF, ...headers }, body: JSON.stringify(body) }));

  it('refuses a GET of setupStatus and answers its POST without using the link', async () => {
    const { token } = issueSetupToken(db, 'reset');
    const get = await handle(new Request(`http://localhost/api/trpc/auth.setupStatus?input=${encodeURIComponent(JSON.stringify({ token }))}`));
    expect(get.status).toBe(405);
    const res = await post('auth.setupStatus', { token });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ result: { data: { ok: true, purpose: 'reset' } } });
    expect((await (await post('auth.setupStatus', { token })).json()).result.data.ok).toBe(true);
  });

  it(`refuses a batch of more than ${MAX_BATCH_SIZE} calls whole, checking no password`, async () => {
    const before = db.select().from(changeEvents).where(like(changeEvents.action, 'breakglass.sign_in_%')).all().length;
    const n = 60;
    const body = Object.fromEntries(Array.from({ length: n }, (_, i) => [String(i), { username: ADMIN.username, password: `wrong password ${i}` }]));
    const res = await post(`${Array(n).fill('auth.localSignIn').join(',')}?batch=1`, body);
    expect(res.status).toBe(400);
    expect(db.select().from(changeEvents).where(like(changeEvents.action, 'breakglass.sign_in_%')).all()).toHaveLength(before);
  });

  it('answers a locked-out sign-in with 429, Retry-After and the reason locked_out', async () => {
    lockName(db, 'locked-user');
    const res = await post(
      'auth.localSignIn',
      { username: 'locked-user', password: 'any password at all' },
      { [CLIENT_ADDRESS_HEADER]: clientAddressHeaderValue('203.0.113.5') },
    );
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await res.json()) as { error: { data: { code: string; reason: string } } };
    expect(body.error.data).toMatchObject({ code: 'TOO_MANY_REQUESTS', reason: 'locked_out' });
    const row = db.select().from(changeEvents).where(eq(changeEvents.action, 'breakglass.sign_in_locked')).all().at(-1)!;
    expect(row).toMatchObject({ actor: 'locked-user', ip: '203.0.113.5' });
    expect(JSON.parse(row.after!)).toEqual({ username: 'locked-user', reason: 'user_name_budget_spent' });
  });

  it('answers a sign-in past the hashing bound with 429, Retry-After and the reason sign_in_busy', async () => {
    const release = holdEveryHashPlace();
    try {
      const res = await post('auth.localSignIn', ADMIN);
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await res.json()) as { error: { data: { reason: string } } }).error.data.reason).toBe('sign_in_busy');
    } finally {
      release();
    }
  });
});

describe.each(['npm-start', 'next-start'] as const)('break-glass sign-in on a real server (%s)', (mode) => {
  const dbFile = tempDbFile();
  let server: RunningServer;
  let db: Db;
  beforeAll(async () => {
    server = await startServer({ databaseUrl: databaseUrlOf(dbFile), mode });
    db = openDb(dbFile);
  });
  afterAll(() => server?.stop());

  const signIn = (body: unknown) => fetch(`${server.origin}/api/trpc/auth.localSignIn`, { method: 'POST', headers: CSRF, body: JSON.stringify(body) });

  it('hashes in the worker inside the Next.js bundle: setup and sign-in work', async () => {
    const { token } = issueSetupToken(db, 'setup');
    const setup = await fetch(`${server.origin}/api/trpc/auth.completeSetup`, { method: 'POST', headers: CSRF, body: JSON.stringify({ ...ADMIN, token }) });
    expect(setup.status, await setup.clone().text()).toBe(200);
    const res = await signIn(ADMIN);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/ice_sso_console=/);
  });

  it('refuses a flood of concurrent sign-ins beyond the bound at once with 429 and Retry-After, while other requests answer', async () => {
    const flood = Array.from({ length: 24 }, (_, i) => signIn({ username: `flood-${i}`, password: 'not the password 123' }));
    const started = Date.now();
    const meta = await fetch(`${server.origin}/sso-meta`);
    const metaMs = Date.now() - started;
    const responses = await Promise.all(flood);
    const statuses = responses.map((r) => r.status);
    expect(
      statuses.every((s) => s === 401 || s === 429),
      statuses.join(','),
    ).toBe(true);
    const busy = responses.filter((r) => r.status === 429);
    expect(busy.length).toBeGreaterThanOrEqual(12);
    for (const r of busy) {
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await r.json()) as { error: { data: { reason: string } } }).error.data.reason).toBe('sign_in_busy');
    }
    expect(meta.status).toBe(404);
    expect(metaMs).toBeLessThan(1000);
  });
});
