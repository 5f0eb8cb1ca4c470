import 'server-only';
import { and, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { localAdmins } from '@/db/schema';
import { writeTransaction } from '@/db/transaction';
import { recordChange } from '@/server/audit/changes';
import { log } from '@/server/lib/log';
import { PasswordHashBusyError, passwordHashPool, type HashTicket, type PasswordHashPool } from './hash-pool';
import { openConsoleSession } from './local-admin';
import { LocalAuthError } from './local-auth-error';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from './passwords';
import { refundPasswordCheck, reservePasswordCheck, SIGN_IN_WINDOW_MS, takeLockoutRecord, type LockedBy } from './sign-in-budget';

interface SignInInput {
  username: string;
  password: string;
  ip?: string | null;
  userAgent?: string | null;
}

/**
 * Local sign-in with user name and password. In this order, all before the first await: a
 * place in the hashing pool (or `sign_in_busy` at once), then one check reserved against the
 * user name's and the address's budgets (or `locked_out`); only then is the password hashed.
 * A good password gives its reservation back; a stored hash below the current parameters is
 * replaced. Every failed or locked-out attempt is a change-log row (never the password).
 */
export async function signInLocalAdmin(
  db: Db,
  input: SignInInput,
  now = Date.now(),
  pool: PasswordHashPool = passwordHashPool(),
): Promise<{ sessionToken: string; expiresAt: number; username: string }> {
  const ip = input.ip ?? null;
  let ticket: HashTicket;
  try {
    ticket = pool.admit();
  } catch (err) {
    if (err instanceof PasswordHashBusyError)
      throw new LocalAuthError('sign_in_busy', 'The server is checking too many passwords right now. Try again in a few seconds.', err.retryAfterSeconds);
    throw err;
  }
  try {
    const reservation = reserveOrUnavailable(db, input.username, ip, now);
    if (!reservation.ok) {
      recordLockedOut(db, input.username, ip, reservation.lockedBy, now);
      throw new LocalAuthError(
        'locked_out',
        'Too many failed sign-ins for this user name or from this address. Wait a few minutes, or sign in with a fresh link from `npx ice-sso admin reset`.',
        reservation.retryAfterSeconds,
      );
    }
    const admin = db.select().from(localAdmins).where(eq(localAdmins.username, input.username)).get();
    let result: { ok: boolean; needsRehash: boolean };
    try {
      // hash even for unknown users (with the current parameters), so timing does not tell which names exist
      result = await verifyPassword(input.password, admin?.passwordHash ?? DUMMY_PASSWORD_HASH, ticket);
    } catch (err) {
      refundPasswordCheck(db, reservation);
      log.error('password check failed', { error: (err as Error).message });
      throw new LocalAuthError('sign_in_unavailable', 'The server could not check the password right now. Try again.');
    }
    if (!admin || !result.ok) {
      recordRefusal(
        db,
        input.username,
        ip,
        admin?.id ?? null,
        { action: 'breakglass.sign_in_failed', reason: admin ? 'wrong_password' : 'unknown_user_name' },
        now,
      );
      throw new LocalAuthError('bad_credentials', 'User name or password is wrong.');
    }
    const upgraded = result.needsRehash ? await hashPassword(input.password, ticket).catch(() => null) : null;
    return writeTransaction(db, () => {
      refundPasswordCheck(db, reservation);
      db.update(localAdmins).set({ lastSignInAt: now }).where(eq(localAdmins.id, admin.id)).run();
      // only over the hash just checked: a reset that landed meanwhile wins
      const rehashed =
        upgraded !== null &&
        db
          .update(localAdmins)
          .set({ passwordHash: upgraded, updatedAt: now })
          .where(and(eq(localAdmins.id, admin.id), eq(localAdmins.passwordHash, admin.passwordHash)))
          .run().changes === 1;
      const session = openConsoleSession(db, admin.id, input, now);
      recordChange(
        db,
        { kind: 'local', name: admin.username, id: admin.id, ip },
        {
          action: 'breakglass.sign_in',
          targetType: 'local_admin',
          targetId: admin.id,
          after: rehashed ? { via: 'password', passwordHashUpgraded: true } : { via: 'password' },
        },
        now,
      );
      return { ...session, username: admin.username };
    });
  } finally {
    ticket.release();
  }
}

/** The database is the lock: if it cannot be written (busy past its timeout), no password is checked. */
function reserveOrUnavailable(db: Db, username: string, ip: string | null, now: number): ReturnType<typeof reservePasswordCheck> {
  try {
    return reservePasswordCheck(db, { username, ip }, now);
  } catch (err) {
    log.error('could not reserve a password check', { error: (err as Error).message });
    throw new LocalAuthError('sign_in_unavailable', 'The server cannot check passwords right now. Try again in a moment.');
  }
}

function recordLockedOut(db: Db, username: string, ip: string | null, lockedBy: LockedBy, now: number): void {
  const reason = lockedBy === 'user_name' ? 'user_name_budget_spent' : 'address_budget_spent';
  try {
    const what = takeLockoutRecord(db, ip, now);
    if (what === 'record') recordRefusal(db, username, ip, null, { action: 'breakglass.sign_in_locked', reason }, now);
    else if (what === 'summarize') {
      const until = new Date(now + SIGN_IN_WINDOW_MS).toISOString();
      recordRefusal(db, username, ip, null, { action: 'breakglass.sign_in_flood', reason, until }, now);
    }
  } catch (err) {
    log.error('could not record a locked-out sign-in', { error: (err as Error).message });
  }
}

function recordRefusal(
  db: Db,
  username: string,
  ip: string | null,
  adminId: string | null,
  what: { action: 'breakglass.sign_in_failed' | 'breakglass.sign_in_locked' | 'breakglass.sign_in_flood'; reason: string; until?: string },
  now: number,
): void {
  try {
    writeTransaction(db, () =>
      recordChange(
        db,
        { kind: 'local', name: username, ip },
        {
          action: what.action,
          targetType: 'local_admin',
          targetId: adminId,
          after: { username, reason: what.reason, ...(what.until ? { until: what.until } : {}) },
        },
        now,
      ),
    );
  } catch (err) {
    log.error('could not record a refused sign-in', { error: (err as Error).message });
  }
}
