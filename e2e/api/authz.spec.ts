import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { PlaywrightWorkerArgs } from '@playwright/test';
import { expect, test } from '../fixtures/test';
import { demoUsers, GROUP_IDS } from '../fixtures/entra';
import { e2eEnvironment } from '../fixtures/environment';

type Playwright = PlaywrightWorkerArgs['playwright'];

/**
 * The authorization matrix over HTTP: every procedure of the console API (/api/trpc), called
 * as anonymous, a signed-in user without a role, an auditor, an admin (Entra access tokens
 * from the emulator, as MSAL would send them) and the local break-glass admin (cookie).
 */
type Caller = 'anonymous' | 'user' | 'auditor' | 'admin' | 'localAdmin';
type Level = 'public' | 'signedIn' | 'auditor' | 'admin';

const statusFor: Record<Level, Record<Caller, number>> = {
  public: { anonymous: 200, user: 200, auditor: 200, admin: 200, localAdmin: 200 },
  signedIn: { anonymous: 401, user: 200, auditor: 200, admin: 200, localAdmin: 200 },
  auditor: { anonymous: 401, user: 403, auditor: 200, admin: 200, localAdmin: 200 },
  admin: { anonymous: 401, user: 403, auditor: 403, admin: 200, localAdmin: 200 },
};

interface Fixture {
  userId: string;
  loginEventId: number;
  setupToken: () => Promise<string>;
  n: number;
}

interface Row {
  level: Level;
  input?: (fx: Fixture) => unknown | Promise<unknown>;
  /** Run after the others: it ends the caller's session. */
  last?: boolean;
  /**
   * What a caller with the role gets instead of 200: 400 where the input is refused on purpose
   * (past authorization), so the matrix leaves the shared server's Graph credential alone.
   */
  allowed?: number;
}

const LOCAL = { username: 'matrix-admin', password: 'matrix admin password 2026!' };

const matrix: Record<string, Row> = {
  'auth.me': { level: 'public' },
  'auth.config': { level: 'public' },
  'auth.localSignIn': { level: 'public', input: () => LOCAL },
  'auth.signOut': { level: 'signedIn', input: () => ({}), last: true },
  'auth.signedIn': { level: 'signedIn', input: () => ({}) },
  'auth.setupStatus': { level: 'public', input: () => ({ token: 'not-a-setup-token' }) },
  'auth.completeSetup': {
    level: 'public',
    input: async (fx) => ({ token: await fx.setupToken(), username: `matrix-setup-${fx.n}`, password: LOCAL.password }),
  },
  'settings.get': { level: 'auditor' },
  'settings.versions.list': { level: 'auditor', input: () => ({ limit: 5 }) },
  'settings.versions.get': { level: 'auditor', input: () => ({ version: 1 }) },
  'settings.preview': { level: 'auditor', input: () => ({ patch: { clockSkewSeconds: 60 } }) },
  'settings.update': { level: 'admin', input: () => ({ patch: { clockSkewSeconds: 300 }, comment: 'authorization matrix' }) },
  'settings.revert': { level: 'admin', input: () => ({ version: 1, comment: 'authorization matrix' }) },
  'settings.check': { level: 'admin', input: () => ({ patch: {} }) },
  'settings.keyHealth': { level: 'auditor' },
  'settings.graphCredential.get': { level: 'auditor' },
  'settings.graphCredential.setSecret': { level: 'admin', input: () => ({ secret: '' }), allowed: 400 },
  'settings.graphCredential.setCertificate': { level: 'admin', input: () => ({ privateKeyPem: 'not a key' }), allowed: 400 },
  'settings.graphCredential.clear': { level: 'admin', input: () => ({ which: 'graphCertificate' }) },
  'doctor.diagnose': { level: 'auditor', input: () => ({ token: 'not.a.token' }) },
  'users.list': { level: 'auditor', input: () => ({ limit: 5 }) },
  'users.get': { level: 'auditor', input: (fx) => ({ id: fx.userId }) },
  'users.setStatus': { level: 'admin', input: (fx) => ({ id: fx.userId, status: 'active' }) },
  'groups.list': { level: 'auditor', input: () => ({ limit: 5 }) },
  'groups.get': { level: 'auditor', input: () => ({ id: GROUP_IDS.fieldOps }) },
  'groups.names': { level: 'auditor', input: () => ({ ids: [GROUP_IDS.fieldOps] }) },
  'groups.update': { level: 'admin', input: () => ({ id: GROUP_IDS.fieldOps, displayName: 'Field Ops' }) },
  'overview.summary': { level: 'auditor' },
  'overview.chart': { level: 'auditor', input: () => ({ range: '24h' }) },
  'logins.list': { level: 'auditor', input: () => ({ filter: { outcome: 'accepted' }, limit: 5 }) },
  'logins.get': { level: 'auditor', input: (fx) => ({ id: fx.loginEventId }) },
  'logins.stats': { level: 'auditor' },
  'changes.list': { level: 'auditor', input: () => ({ limit: 5 }) },
  'changes.get': { level: 'auditor', input: () => ({ id: 1 }) },
  'audit.verify': { level: 'auditor', input: () => ({}) },
  'audit.exportLink': { level: 'auditor', input: () => ({ stream: 'changes', format: 'jsonl', filter: {} }) },
};

/** The console API's procedures, read from the router itself. */
function procedures(): Record<string, 'query' | 'mutation'> {
  const script =
    "const {appRouter}=require('./server/trpc/root.ts');const p=appRouter._def.procedures;console.log(JSON.stringify(Object.fromEntries(Object.keys(p).map(k=>[k,p[k]._def.type]))))";
  const out = execFileSync(process.execPath, ['--require', path.resolve('scripts/preload.cjs'), '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'silent' },
  });
  return JSON.parse(out.trim().split('\n').pop()!) as Record<string, 'query' | 'mutation'>;
}

/** One call in a fresh request context: no cookie jar carries one caller's session to the next. */
async function call(playwright: Playwright, procedure: string, type: 'query' | 'mutation', input: unknown, headers: Record<string, string>) {
  const request = await playwright.request.newContext({ baseURL: e2eEnvironment().appOrigin });
  try {
    const url = `/api/trpc/${procedure}`;
    const res =
      type === 'query'
        ? await request.get(input === undefined ? url : `${url}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers })
        : await request.post(url, { headers: { ...headers, 'content-type': 'application/json' }, data: input === undefined ? '' : JSON.stringify(input) });
    return { status: res.status(), text: await res.text(), setCookie: res.headers()['set-cookie'] ?? '' };
  } finally {
    await request.dispose();
  }
}

test('every console procedure answers 401/403/200 by role over HTTP', async ({ playwright, request, entra, cli, configureSso }) => {
  test.setTimeout(120_000);
  await configureSso();
  const types = procedures();
  expect(Object.keys(matrix).sort(), 'a procedure without a row in the matrix').toEqual(Object.keys(types).sort());

  // a user and a group to read and change
  const login = await request.post('/api/login', { headers: { authorization: `Bearer ${await entra.mintToken({ user: demoUsers.mfa.key })}` } });
  expect(login.status()).toBe(200);
  const userId = ((await login.json()) as { user: { id: string } }).user.id;

  // the local break-glass admin, created through a setup link as an operator would
  const link = await cli.adminResetLink();
  const csrf = { 'x-ice-sso-csrf': '1' };
  const setup = await call(playwright, 'auth.completeSetup', 'mutation', { token: link.split('#token=')[1], ...LOCAL }, csrf);
  expect(setup.status).toBe(200);
  const cookie = /ice_sso_console=[^;]+/.exec(setup.setCookie)?.[0];
  expect(cookie).toBeTruthy();

  const bearer = async (user: string) => ({ authorization: `Bearer ${await entra.mintToken({ user })}`, ...csrf });
  const callers: Record<Caller, Record<string, string>> = {
    anonymous: csrf,
    user: await bearer(demoUsers.plain.key),
    auditor: await bearer(demoUsers.auditor.key),
    admin: await bearer(demoUsers.admin.key),
    localAdmin: { cookie: cookie!, ...csrf },
  };

  let n = 0;
  const history = await call(playwright, 'logins.list', 'query', { filter: { outcome: 'accepted' }, limit: 1 }, callers.admin);
  const loginEventId = (JSON.parse(history.text) as { result: { data: { items: { id: number }[] } } }).result.data.items[0]!.id;
  const fx: Fixture = { userId, loginEventId, setupToken: async () => (await cli.adminResetLink()).split('#token=')[1]!, n: 0 };
  const rows = Object.entries(matrix).sort(([, a], [, b]) => Number(a.last ?? false) - Number(b.last ?? false));
  const failures: string[] = [];
  for (const [procedure, row] of rows) {
    for (const caller of Object.keys(callers) as Caller[]) {
      fx.n = ++n;
      const input = row.input ? await row.input(fx) : undefined;
      const res = await call(playwright, procedure, types[procedure]!, input, callers[caller]);
      const granted = statusFor[row.level][caller];
      const want = granted === 200 && row.allowed ? row.allowed : granted;
      if (res.status !== want) failures.push(`${procedure} as ${caller}: ${res.status} (expected ${want}) ${res.text.slice(0, 200)}`);
    }
  }
  expect(failures).toEqual([]);
});

test('a cookie-authenticated mutation without the CSRF header, or from another origin, is refused', async ({ playwright, cli, configureSso }) => {
  await configureSso();
  const link = await cli.adminResetLink();
  const setup = await call(
    playwright,
    'auth.completeSetup',
    'mutation',
    { token: link.split('#token=')[1], username: 'csrf-check', password: LOCAL.password },
    { 'x-ice-sso-csrf': '1' },
  );
  const cookie = /ice_sso_console=[^;]+/.exec(setup.setCookie)![0];
  expect(setup.setCookie).toMatch(/HttpOnly/);
  expect(setup.setCookie).toMatch(/SameSite=Strict/);
  const forged = await call(playwright, 'settings.update', 'mutation', { patch: { clockSkewSeconds: 10 } }, { cookie });
  expect(forged.status).toBe(403);
  const crossSite = await call(
    playwright,
    'settings.update',
    'mutation',
    { patch: { clockSkewSeconds: 10 } },
    { cookie, 'x-ice-sso-csrf': '1', origin: 'https://evil.example' },
  );
  expect(crossSite.status).toBe(403);
  const reads = await call(playwright, 'settings.get', 'query', undefined, { cookie });
  expect(reads.status).toBe(200);
  const setupAgain = await call(
    playwright,
    'auth.completeSetup',
    'mutation',
    { token: link.split('#token=')[1], username: 'csrf-check', password: LOCAL.password },
    { 'x-ice-sso-csrf': '1' },
  );
  expect(setupAgain.status).toBe(400);
  expect(setupAgain.text).toContain('already used');
});
