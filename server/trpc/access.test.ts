import { TRPCError } from '@trpc/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { openDb, type Db } from '@/db/client';
import { loginEvents } from '@/db/schema';
import { issueSetupToken, completeSetup } from '@/server/sessions/local-admin';
import { updateSettings } from '@/server/settings/service';
import { recordLoginEvent } from '@/server/audit/logins';
import { writeTransaction } from '@/db/transaction';
import { seedUser } from '@/server/directory/test-seed';
import { tempDbFile } from '@/test/support/tmp';
import { appRouter } from './root';
import { callerFor, CALLER_KINDS, type CallerKind, type ConsoleCaller } from './test-contexts';

/**
 * Who may call what: every procedure of the console API, called as every kind of caller.
 * A procedure added to the router without a row here fails the first test.
 */

type Level = 'public' | 'signedIn' | 'auditor' | 'admin';
type Outcome = 'ok' | 'UNAUTHORIZED' | 'FORBIDDEN';

const expected: Record<Level, Record<CallerKind, Outcome>> = {
  public: { anonymous: 'ok', user: 'ok', auditor: 'ok', admin: 'ok', localAdmin: 'ok' },
  signedIn: { anonymous: 'UNAUTHORIZED', user: 'ok', auditor: 'ok', admin: 'ok', localAdmin: 'ok' },
  auditor: { anonymous: 'UNAUTHORIZED', user: 'FORBIDDEN', auditor: 'ok', admin: 'ok', localAdmin: 'ok' },
  admin: { anonymous: 'UNAUTHORIZED', user: 'FORBIDDEN', auditor: 'FORBIDDEN', admin: 'ok', localAdmin: 'ok' },
};

interface Fixture {
  db: Db;
  userId: string;
  groupId: string;
  loginEventId: number;
}

interface Row {
  level: Level;
  /** A valid call: allowed callers must get a result, not an error. */
  call: (c: ConsoleCaller, fx: Fixture) => Promise<unknown>;
  /** Why a mutation is not admin-only. */
  readOnlyMutation?: string;
}

const BREAK_GLASS = { username: 'breakglass', password: 'correct horse battery staple 42' };
const GROUP = 'cafe0000-0000-4000-8000-000000000001';

const matrix: Record<string, Row> = {
  'auth.me': { level: 'public', call: (c) => c.auth.me() },
  'auth.config': { level: 'public', call: (c) => c.auth.config() },
  'auth.localSignIn': { level: 'public', call: (c) => c.auth.localSignIn(BREAK_GLASS), readOnlyMutation: 'signing in is open to anyone with the password' },
  'auth.signedIn': { level: 'signedIn', call: (c) => c.auth.signedIn({}), readOnlyMutation: 'records the caller’s own console sign-in' },
  'auth.signOut': { level: 'signedIn', call: (c) => c.auth.signOut({}), readOnlyMutation: 'ends the caller’s own session' },
  'auth.setupStatus': {
    level: 'public',
    call: (c) => c.auth.setupStatus({ token: 'not-a-setup-token' }),
    readOnlyMutation: 'checks a setup link and changes nothing; a mutation so that the token never sits in a URL',
  },
  'auth.completeSetup': {
    level: 'public',
    call: (c, fx) => c.auth.completeSetup({ ...BREAK_GLASS, token: issueSetupToken(fx.db, 'reset').token }),
    readOnlyMutation: 'the one-time setup link is the credential',
  },
  'settings.get': { level: 'auditor', call: (c) => c.settings.get() },
  'settings.versions.list': { level: 'auditor', call: (c) => c.settings.versions.list({ limit: 5 }) },
  'settings.versions.get': { level: 'auditor', call: (c) => c.settings.versions.get({ version: 1 }) },
  'settings.preview': { level: 'auditor', call: (c) => c.settings.preview({ patch: { clockSkewSeconds: 60 } }) },
  'settings.update': { level: 'admin', call: (c) => c.settings.update({ patch: { clockSkewSeconds: 120 }, comment: 'matrix' }) },
  'settings.revert': { level: 'admin', call: (c) => c.settings.revert({ version: 1 }) },
  'settings.check': { level: 'admin', call: (c) => c.settings.check() },
  'settings.keyHealth': { level: 'auditor', call: (c) => c.settings.keyHealth() },
  'settings.graphCredential.get': { level: 'auditor', call: (c) => c.settings.graphCredential.get() },
  'settings.graphCredential.setSecret': {
    level: 'admin',
    call: (c) => c.settings.graphCredential.setSecret({ secret: 'Matrix8Q~access-matrix-secret-0123456789' }),
  },
  'settings.graphCredential.setCertificate': {
    level: 'admin',
    // refused as a bad PEM once access is granted: the matrix checks who gets that far
    call: (c) =>
      c.settings.graphCredential.setCertificate({ privateKeyPem: 'not a key' }).catch((e: { code?: string }) => {
        if (e.code === 'BAD_REQUEST') return null;
        throw e;
      }),
  },
  'settings.graphCredential.clear': { level: 'admin', call: (c) => c.settings.graphCredential.clear({ which: 'graphClientSecret' }) },
  'doctor.diagnose': {
    level: 'auditor',
    call: (c) => c.doctor.diagnose({ token: 'not.a.jwt' }),
    readOnlyMutation: 'a pasted token is too long for a GET URL; it records nothing',
  },
  'users.list': { level: 'auditor', call: (c) => c.users.list({ search: 'matrix' }) },
  'users.get': { level: 'auditor', call: (c, fx) => c.users.get({ id: fx.userId }) },
  'users.setStatus': { level: 'admin', call: (c, fx) => c.users.setStatus({ id: fx.userId, status: 'disabled', comment: 'matrix' }) },
  'groups.list': { level: 'auditor', call: (c) => c.groups.list() },
  'groups.get': { level: 'auditor', call: (c, fx) => c.groups.get({ id: fx.groupId }) },
  'groups.names': { level: 'auditor', call: (c, fx) => c.groups.names({ ids: [fx.groupId] }) },
  'groups.update': { level: 'admin', call: (c, fx) => c.groups.update({ id: fx.groupId, displayName: 'Matrix' }) },
  'overview.summary': { level: 'auditor', call: (c) => c.overview.summary() },
  'overview.chart': { level: 'auditor', call: (c) => c.overview.chart({ range: '24h' }) },
  'logins.list': { level: 'auditor', call: (c) => c.logins.list({ filter: { outcome: 'refused' }, limit: 5 }) },
  'logins.get': { level: 'auditor', call: (c, fx) => c.logins.get({ id: fx.loginEventId }) },
  'logins.stats': { level: 'auditor', call: (c) => c.logins.stats() },
  'changes.list': { level: 'auditor', call: (c) => c.changes.list({ filter: { targetType: 'settings' }, limit: 5 }) },
  'changes.get': { level: 'auditor', call: (c) => c.changes.get({ id: 1 }) },
  'audit.exportLink': {
    level: 'auditor',
    call: (c) => c.audit.exportLink({ stream: 'logins', format: 'csv', filter: { outcome: 'refused' } }),
    readOnlyMutation: 'signs a one-minute download link; changes nothing',
  },
  'audit.verify': {
    level: 'auditor',
    call: (c) => c.audit.verify({}),
    readOnlyMutation: 'walks the chains and changes nothing; a mutation so that it runs only when asked',
  },
};

let fx: Fixture;

beforeAll(async () => {
  const db = openDb(tempDbFile());
  // settings stay incomplete, so that nothing here reaches for the network
  updateSettings(db, { clockSkewSeconds: 200 }, { kind: 'cli', name: 'cli' });
  await completeSetup(db, { ...BREAK_GLASS, token: issueSetupToken(db, 'setup').token });
  const user = seedUser(db, { displayName: 'Matrix User', groups: [GROUP] });
  writeTransaction(db, () => recordLoginEvent(db, { outcome: 'refused', reason: 'token_expired', status: 401, userId: user.id, ip: '192.0.2.7' }));
  const [event] = db.select({ id: loginEvents.id }).from(loginEvents).where(eq(loginEvents.userId, user.id)).all();
  fx = { db, userId: user.id, groupId: GROUP, loginEventId: event!.id };
});

async function outcomeOf(promise: Promise<unknown>): Promise<Outcome | string> {
  try {
    await promise;
    return 'ok';
  } catch (err) {
    if (err instanceof TRPCError) return err.code === 'UNAUTHORIZED' || err.code === 'FORBIDDEN' ? err.code : `${err.code}: ${err.message}`;
    throw err;
  }
}

describe('the access matrix', () => {
  // the flat map of procedure paths ("users.list") that tRPC builds; typed loosely on purpose
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;

  it('has one row for every procedure of the console API', () => {
    expect(Object.keys(matrix).sort()).toEqual(Object.keys(procedures).sort());
  });

  it('keeps every mutation outside sign-in admin-only unless the row says why not', () => {
    for (const [path, row] of Object.entries(matrix)) {
      if (procedures[path]?._def.type !== 'mutation') continue;
      if (row.level !== 'admin') expect(row.readOnlyMutation, `${path} is a mutation open to ${row.level}`).toBeTruthy();
    }
  });

  const cases = Object.entries(matrix).flatMap(([path, row]) => CALLER_KINDS.map((who) => [path, who, expected[row.level][who], row] as const));

  it.each(cases)('%s as %s: %s', async (_path, who, outcome, row) => {
    expect(await outcomeOf(row.call(callerFor(fx.db, who), fx))).toBe(outcome);
  });
});

describe('cross-site protection of the local admin', () => {
  it('refuses a mutation of the cookie-session admin without the CSRF header, but not a query', async () => {
    const c = callerFor(fx.db, 'localAdmin', { csrfOk: false });
    await expect(c.settings.update({ patch: { clockSkewSeconds: 90 } })).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'Cross-site request refused.' });
    await expect(c.users.setStatus({ id: fx.userId, status: 'active' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(c.groups.update({ id: fx.groupId, displayName: 'CSRF' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(c.users.list()).resolves.toMatchObject({ items: expect.any(Array) });
  });

  it('does not ask Entra callers for it (a bearer token is not sent by the browser on its own)', async () => {
    await expect(callerFor(fx.db, 'admin', { csrfOk: false }).groups.update({ id: fx.groupId, displayName: 'Bearer' })).resolves.toMatchObject({
      changed: true,
    });
  });
});

describe('an anonymous caller', () => {
  it('is told why a presented credential was refused', async () => {
    const c = callerFor(fx.db, 'anonymous', { authProblem: 'token_expired: The token has expired.' });
    await expect(c.users.list()).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: 'token_expired: The token has expired.' });
  });
});
