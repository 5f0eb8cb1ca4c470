import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '@/db/client';
import { changeEvents, localAdmins, signInAttempts } from '@/db/schema';
import { tempDbFile } from '@/test/support/tmp';
import { PasswordHashPool, passwordHashPool } from './hash-pool';
import { completeSetup, issueSetupToken, lookupConsoleSession } from './local-admin';
import { LocalAuthError } from './local-auth-error';
import { signInLocalAdmin } from './local-sign-in';
import { ADDRESS_BUDGET, LOCKOUT_RECORDS_PER_ADDRESS, reservePasswordCheck, SIGN_IN_WINDOW_MS, USER_NAME_BUDGET } from './sign-in-budget';
import { captureLogLines } from '@/test/support/log-capture';
import { storedScryptHash } from '@/test/support/stored-hash';

const ADMIN = { username: 'breakglass', password: 'correct horse battery staple 42' };
const WRONG = 'a wrong password, guessed';

/** Enough places that the budget, not the pool, is what stops a flood in these tests. */
const roomy = new PasswordHashPool({ threads: 1, maxWaiting: 200, jobTimeoutMs: 60_000 });
afterAll(() => roomy.close());

/** The break-glass admin as the setup link creates it: its password hashed with the current parameters (N=2^17). */
async function withAdmin(): Promise<Db> {
  const db = openDb(tempDbFile());
  await completeSetup(db, { ...ADMIN, token: issueSetupToken(db, 'setup').token });
  return db;
}

/**
 * The same admin with its password stored at N=2^10, for the tests about budgets, rows and
 * floods: each check of a wrong password then costs about a millisecond instead of half a
 * second, through the same pool and the same verifier. (A good sign-in still re-hashes it at
 * N=2^17, as it would any older hash.)
 */
function withCheapAdmin(): Db {
  const db = openDb(tempDbFile());
  const passwordHash = storedScryptHash(ADMIN.password, { N: 1024, r: 8, p: 1 });
  const now = Date.now();
  db.insert(localAdmins).values({ id: crypto.randomUUID(), username: ADMIN.username, passwordHash, createdAt: now, updatedAt: now }).run();
  return db;
}

async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    if (err instanceof LocalAuthError) return err.reason;
    throw err;
  }
}

/** Spends a user name's budget as ten failed checks from ten addresses would (without hashing ten times). */
function lockName(db: Db, username: string): void {
  for (let i = 0; i < USER_NAME_BUDGET; i++) reservePasswordCheck(db, { username, ip: `198.51.100.${i}` });
}

function changeRows(db: Db, action: string) {
  return db.select().from(changeEvents).where(eq(changeEvents.action, action)).orderBy(changeEvents.id).all();
}

describe('break-glass sign-in', () => {
  it('checks at most ten of sixty concurrent wrong passwords for one user name, from sixty addresses', async () => {
    const db = withCheapAdmin();
    const before = roomy.completed;
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        outcome(signInLocalAdmin(db, { username: ADMIN.username, password: `${WRONG} ${i}`, ip: `198.51.100.${i}` }, Date.now(), roomy)),
      ),
    );
    expect(results.filter((r) => r === 'bad_credentials')).toHaveLength(USER_NAME_BUDGET);
    expect(results.filter((r) => r === 'locked_out')).toHaveLength(60 - USER_NAME_BUDGET);
    expect(roomy.completed - before).toBe(USER_NAME_BUDGET);
    // the right password is now refused too, without a check: the budget holds for everyone
    await expect(signInLocalAdmin(db, { ...ADMIN, ip: '192.0.2.50' }, Date.now(), roomy)).rejects.toMatchObject({
      reason: 'locked_out',
      retryAfterSeconds: expect.any(Number),
    });
    expect(roomy.completed - before).toBe(USER_NAME_BUDGET);
  });

  it('writes a change-log row for each failed and each locked-out attempt, with the name, address and reason, never the password', async () => {
    const db = withCheapAdmin();
    for (let i = 0; i < 2; i++)
      expect(await outcome(signInLocalAdmin(db, { username: ADMIN.username, password: `${WRONG} ${i}`, ip: '203.0.113.7' }, Date.now(), roomy))).toBe(
        'bad_credentials',
      );
    expect(await outcome(signInLocalAdmin(db, { username: 'nobody-here', password: WRONG, ip: '203.0.113.8' }, Date.now(), roomy))).toBe('bad_credentials');
    lockName(db, ADMIN.username);
    for (let i = 0; i < 3; i++)
      expect(await outcome(signInLocalAdmin(db, { username: ADMIN.username, password: WRONG, ip: '203.0.113.9' }, Date.now(), roomy))).toBe('locked_out');

    const failed = changeRows(db, 'breakglass.sign_in_failed');
    expect(failed).toHaveLength(3);
    expect(failed[0]).toMatchObject({ actor: ADMIN.username, actorKind: 'local', ip: '203.0.113.7', targetType: 'local_admin' });
    expect(JSON.parse(failed[0]!.after!)).toEqual({ username: ADMIN.username, reason: 'wrong_password' });
    expect(JSON.parse(failed.at(-1)!.after!)).toEqual({ username: 'nobody-here', reason: 'unknown_user_name' });
    expect(failed.at(-1)!.ip).toBe('203.0.113.8');

    const locked = changeRows(db, 'breakglass.sign_in_locked');
    expect(locked).toHaveLength(3);
    expect(locked.map((r) => [r.actor, r.ip, JSON.parse(r.after!).reason])).toEqual(Array(3).fill([ADMIN.username, '203.0.113.9', 'user_name_budget_spent']));

    const everything = JSON.stringify(db.select().from(changeEvents).all());
    expect(everything).not.toContain(WRONG);
    expect(everything).not.toContain(ADMIN.password);
  });

  it('records locked-out attempts from one address one by one up to a ceiling, then one summary row, so a flood cannot fill the change log', async () => {
    const db = withCheapAdmin();
    lockName(db, ADMIN.username);
    const results = await Promise.all(
      Array.from({ length: 100 }, () => outcome(signInLocalAdmin(db, { username: ADMIN.username, password: WRONG, ip: '203.0.113.66' }, Date.now(), roomy))),
    );
    expect(new Set(results)).toEqual(new Set(['locked_out']));
    expect(changeRows(db, 'breakglass.sign_in_locked')).toHaveLength(LOCKOUT_RECORDS_PER_ADDRESS);
    const summary = changeRows(db, 'breakglass.sign_in_flood');
    expect(summary).toHaveLength(1);
    expect(summary[0]).toMatchObject({ ip: '203.0.113.66' });
    expect(JSON.parse(summary[0]!.after!)).toMatchObject({ username: ADMIN.username, reason: 'user_name_budget_spent', until: expect.any(String) });
  });

  it('refuses at once with sign_in_busy past the pool’s bound, spending no budget and writing no row', async () => {
    const db = withCheapAdmin();
    const small = new PasswordHashPool({ threads: 1, maxWaiting: 2, jobTimeoutMs: 60_000 });
    try {
      const errors = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          signInLocalAdmin(db, { username: `someone-${i}`, password: WRONG, ip: '192.0.2.77' }, Date.now(), small).catch((e: unknown) => e),
        ),
      );
      const busy = errors.filter((e) => e instanceof LocalAuthError && e.reason === 'sign_in_busy') as LocalAuthError[];
      expect(busy).toHaveLength(9);
      expect(busy.every((e) => e.retryAfterSeconds !== undefined && e.retryAfterSeconds >= 1)).toBe(true);
      expect(small.completed).toBe(3);
      expect(db.select().from(signInAttempts).where(eq(signInAttempts.scope, 'address')).all()).toHaveLength(3);
      expect(changeRows(db, 'breakglass.sign_in_failed')).toHaveLength(3);
    } finally {
      await small.close();
    }
  });

  it('answers sign_in_unavailable and gives the reservation back when the hash does not finish in time', async () => {
    const db = await withAdmin();
    const hasty = new PasswordHashPool({ threads: 1, maxWaiting: 0, jobTimeoutMs: 5 });
    try {
      expect(await outcome(signInLocalAdmin(db, { ...ADMIN, ip: '192.0.2.4' }, Date.now(), hasty))).toBe('sign_in_unavailable');
      expect(db.select().from(signInAttempts).all()).toEqual([]);
      expect(hasty.inUse).toBe(0);
    } finally {
      await hasty.close();
    }
  });

  it('upgrades an N=2^14 hash at the next good sign-in, and signs in with the upgraded one', async () => {
    const db = withCheapAdmin();
    const legacy = storedScryptHash(ADMIN.password, { N: 16384, r: 8, p: 1 });
    db.update(localAdmins).set({ passwordHash: legacy }).run();

    await signInLocalAdmin(db, { ...ADMIN, ip: '192.0.2.1' }, Date.now(), roomy);
    const stored = db.select({ passwordHash: localAdmins.passwordHash }).from(localAdmins).get()!.passwordHash;
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(JSON.parse(changeRows(db, 'breakglass.sign_in').at(-1)!.after!)).toEqual({ via: 'password', passwordHashUpgraded: true });

    await signInLocalAdmin(db, { ...ADMIN, ip: '192.0.2.1' }, Date.now(), roomy);
    expect(db.select({ passwordHash: localAdmins.passwordHash }).from(localAdmins).get()!.passwordHash).toBe(stored);
    expect(JSON.parse(changeRows(db, 'breakglass.sign_in').at(-1)!.after!)).toEqual({ via: 'password' });
  });

  it('does not spend the budget on good sign-ins', async () => {
    const db = withCheapAdmin();
    for (let i = 0; i < 3; i++) await signInLocalAdmin(db, { ...ADMIN, ip: '192.0.2.2' }, Date.now(), roomy);
    expect(db.select().from(signInAttempts).all()).toEqual([]);
  });

  it('lets the real admin in with a fresh reset link while the user name is locked and every hashing place is taken', async () => {
    const db = withCheapAdmin();
    lockName(db, ADMIN.username);
    expect(await outcome(signInLocalAdmin(db, { ...ADMIN, ip: '192.0.2.3' }, Date.now(), roomy))).toBe('locked_out');

    // an anonymous flood holds every place of the process-wide pool
    const pool = passwordHashPool();
    const held = Array.from({ length: pool.limits.threads + pool.limits.maxWaiting }, () => pool.admit());
    try {
      expect(await outcome(signInLocalAdmin(db, { ...ADMIN, ip: '192.0.2.3' }))).toBe('sign_in_busy');
      const { token } = issueSetupToken(db, 'reset');
      const session = await completeSetup(db, { token, username: ADMIN.username, password: 'a brand new passphrase 2026', ip: '192.0.2.3' });
      expect(lookupConsoleSession(db, session.sessionToken)).toMatchObject({ username: ADMIN.username });
    } finally {
      for (const t of held) t.release();
    }
    // password sign-in of that name stays locked until the window passes (the docs say so)
    expect(await outcome(signInLocalAdmin(db, { username: ADMIN.username, password: 'a brand new passphrase 2026', ip: '192.0.2.3' }, Date.now(), roomy))).toBe(
      'locked_out',
    );
  });
});

describe('break-glass sign-in: what it answers and records', () => {
  const logLines = captureLogLines();

  it('answers a good sign-in with its session and user name, and records it by the admin, from the address', async () => {
    const db = withCheapAdmin();
    const admin = db.select().from(localAdmins).get()!;
    const now = Date.now();
    const result = await signInLocalAdmin(db, { ...ADMIN, ip: '192.0.2.20' }, now, roomy);
    expect(result).toEqual({ sessionToken: expect.any(String), expiresAt: expect.any(Number), username: ADMIN.username });
    expect(lookupConsoleSession(db, result.sessionToken)).toMatchObject({ adminId: admin.id, username: ADMIN.username });
    const [row] = changeRows(db, 'breakglass.sign_in');
    expect(row).toMatchObject({
      actor: ADMIN.username,
      actorKind: 'local',
      actorId: admin.id,
      ip: '192.0.2.20',
      targetType: 'local_admin',
      targetId: admin.id,
    });
  });

  it('names the admin as the target of a wrong password, and no one for an unknown name', async () => {
    const db = withCheapAdmin();
    const admin = db.select().from(localAdmins).get()!;
    await outcome(signInLocalAdmin(db, { username: ADMIN.username, password: WRONG, ip: '192.0.2.21' }, Date.now(), roomy));
    await outcome(signInLocalAdmin(db, { username: 'nobody-here', password: WRONG, ip: '192.0.2.21' }, Date.now(), roomy));
    expect(changeRows(db, 'breakglass.sign_in_failed').map((r) => r.targetId)).toEqual([admin.id, null]);
  });

  it('tells the admin why, in words: wrong credentials, locked out, busy', async () => {
    const db = withCheapAdmin();
    const message = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: Error) => e.message,
      );
    expect(await message(signInLocalAdmin(db, { username: ADMIN.username, password: WRONG, ip: '192.0.2.22' }, Date.now(), roomy))).toBe(
      'User name or password is wrong.',
    );
    const full = new PasswordHashPool({ threads: 1, maxWaiting: 0, jobTimeoutMs: 60_000 });
    const held = full.admit();
    try {
      expect(await message(signInLocalAdmin(db, { ...ADMIN, ip: '192.0.2.22' }, Date.now(), full))).toBe(
        'The server is checking too many passwords right now. Try again in a few seconds.',
      );
    } finally {
      held.release();
      await full.close();
    }
    lockName(db, ADMIN.username);
    expect(await message(signInLocalAdmin(db, { ...ADMIN, ip: '192.0.2.22' }, Date.now(), roomy))).toBe(
      'Too many failed sign-ins for this user name or from this address. Wait a few minutes, or sign in with a fresh link from `npx ice-sso admin reset`.',
    );
  });

  it('says the password could not be checked when the hash fails, and logs why', async () => {
    const db = await withAdmin();
    const hasty = new PasswordHashPool({ threads: 1, maxWaiting: 0, jobTimeoutMs: 5 });
    try {
      await expect(signInLocalAdmin(db, { ...ADMIN, ip: '192.0.2.23' }, Date.now(), hasty)).rejects.toThrow(
        'The server could not check the password right now. Try again.',
      );
    } finally {
      await hasty.close();
    }
    expect(logLines.map((l) => JSON.parse(l) as { msg: string; error?: string }).find((l) => l.msg === 'password check failed')).toMatchObject({
      error: 'password hash took longer than 5 ms',
    });
  });

  it('checks no password when the budget cannot be reserved (the database is closed), says so, and logs why', async () => {
    const db = withCheapAdmin();
    db.$client.close();
    const before = roomy.completed;
    await expect(signInLocalAdmin(db, { ...ADMIN, ip: '192.0.2.24' }, Date.now(), roomy)).rejects.toMatchObject({
      reason: 'sign_in_unavailable',
      message: 'The server cannot check passwords right now. Try again in a moment.',
    });
    expect(roomy.completed).toBe(before);
    expect(logLines.some((l) => (JSON.parse(l) as { msg: string }).msg === 'could not reserve a password check')).toBe(true);
  });

  it('passes on an admission failure that is not the pool being busy', async () => {
    const db = withCheapAdmin();
    const broken = {
      admit: () => {
        throw new Error('admission broke');
      },
    } as unknown as PasswordHashPool;
    await expect(signInLocalAdmin(db, { ...ADMIN, ip: '192.0.2.25' }, Date.now(), broken)).rejects.toThrow('admission broke');
  });

  it('records a lockout by the address budget as such, and dates the flood summary to the end of the window', async () => {
    const db = withCheapAdmin();
    const now = Date.now();
    for (let i = 0; i < ADDRESS_BUDGET; i++) reservePasswordCheck(db, { username: `someone-${i}`, ip: '203.0.113.30' }, now);
    expect(await outcome(signInLocalAdmin(db, { ...ADMIN, ip: '203.0.113.30' }, now, roomy))).toBe('locked_out');
    expect(JSON.parse(changeRows(db, 'breakglass.sign_in_locked')[0]!.after!)).toEqual({ username: ADMIN.username, reason: 'address_budget_spent' });
    for (let i = 1; i < LOCKOUT_RECORDS_PER_ADDRESS + 1; i++) await outcome(signInLocalAdmin(db, { ...ADMIN, ip: '203.0.113.30' }, now, roomy));
    expect(JSON.parse(changeRows(db, 'breakglass.sign_in_flood')[0]!.after!)).toEqual({
      username: ADMIN.username,
      reason: 'address_budget_spent',
      until: new Date(now + SIGN_IN_WINDOW_MS).toISOString(),
    });
  });
});
