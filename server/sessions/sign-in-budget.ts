import 'server-only';
import { addressKey } from '@/server/lib/address-key';
import { and, count, eq, gt, inArray, lte, min } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { signInAttempts } from '@/db/schema';
import { writeTransaction } from '@/db/transaction';

/** Every budget counts over the last five minutes (a sliding window). */
export const SIGN_IN_WINDOW_MS = 5 * 60 * 1000;
/** Password checks per user name, from any number of addresses. */
export const USER_NAME_BUDGET = 10;
/** Password checks per client address (IPv6 per /64), over any number of user names. */
export const ADDRESS_BUDGET = 30;
/** Locked-out attempts written to the change log one by one, per address and in all. */
export const LOCKOUT_RECORDS_PER_ADDRESS = 20;
export const LOCKOUT_RECORDS_TOTAL = 500;

export type LockedBy = 'user_name' | 'address';

export type Reservation = { ok: true; ids: number[] } | { ok: false; lockedBy: LockedBy; retryAfterSeconds: number };

/** The key of a user name's budget: names differ only in case would share one. */
export function userNameKey(username: string): string {
  return username.trim().toLowerCase();
}

/** The key of an address's budget: the one address key (IPv6 by its /64). */
export { addressKey };

/**
 * Reserves one password check against the user name's budget and the address's, in one write
 * transaction, before any hashing: concurrent sign-ins (one batch, or several processes on
 * the database) cannot all read "under budget" and then all hash.
 */
export function reservePasswordCheck(db: Db, input: { username: string; ip: string | null }, now = Date.now()): Reservation {
  return writeTransaction(db, () => {
    pruneIfDue(db, now);
    const budgets: Array<{ scope: LockedBy; key: string; limit: number }> = [{ scope: 'user_name', key: userNameKey(input.username), limit: USER_NAME_BUDGET }];
    if (input.ip) budgets.push({ scope: 'address', key: addressKey(input.ip), limit: ADDRESS_BUDGET });
    for (const b of budgets) {
      const used = usage(db, b.scope, b.key, now);
      if (used.count >= b.limit) return { ok: false, lockedBy: b.scope, retryAfterSeconds: secondsUntil((used.oldest ?? now) + SIGN_IN_WINDOW_MS, now) };
    }
    const ids = budgets.map((b) => db.insert(signInAttempts).values({ scope: b.scope, key: b.key, at: now }).returning({ id: signInAttempts.id }).get().id);
    return { ok: true, ids };
  });
}

/** Gives a reservation back: a check that succeeded, or one that never ran, spends nothing. */
export function refundPasswordCheck(db: Db, reservation: { ids: number[] }): void {
  // a reservation always holds the user name's row (drizzle's inArray of [] would match nothing anyway)
  db.delete(signInAttempts).where(inArray(signInAttempts.id, reservation.ids)).run();
}

/**
 * Whether a locked-out attempt gets its own change-log row (`record`), is the first past the
 * ceiling and gets one summary row (`summarize`), or only counts (`skip`). Without a ceiling,
 * locked-out attempts (which cost no hash) would let anyone fill the change log.
 */
export function takeLockoutRecord(db: Db, ip: string | null, now = Date.now()): 'record' | 'summarize' | 'skip' {
  return writeTransaction(db, () => {
    const key = ip ? addressKey(ip) : '-';
    const mine = usage(db, 'lockout_record', key, now).count;
    const all = db
      .select({ n: count() })
      .from(signInAttempts)
      .where(and(eq(signInAttempts.scope, 'lockout_record'), gt(signInAttempts.at, now - SIGN_IN_WINDOW_MS)))
      .get()!.n;
    if (mine > LOCKOUT_RECORDS_PER_ADDRESS || all > LOCKOUT_RECORDS_TOTAL) return 'skip';
    db.insert(signInAttempts).values({ scope: 'lockout_record', key, at: now }).run();
    return mine === LOCKOUT_RECORDS_PER_ADDRESS || all === LOCKOUT_RECORDS_TOTAL ? 'summarize' : 'record';
  });
}

/** Rows that left the window; run inside the reservation (at most every 10 s) and by tests. */
export function pruneSignInAttempts(db: Db, now = Date.now()): number {
  return db
    .delete(signInAttempts)
    .where(lte(signInAttempts.at, now - SIGN_IN_WINDOW_MS))
    .run().changes;
}

const PRUNE_EVERY_MS = 10_000;
let lastPrune = 0;

function pruneIfDue(db: Db, now: number): void {
  if (now - lastPrune < PRUNE_EVERY_MS && now >= lastPrune) return;
  lastPrune = now;
  pruneSignInAttempts(db, now);
}

function usage(db: Db, scope: (typeof signInAttempts.$inferSelect)['scope'], key: string, now: number): { count: number; oldest: number | null } {
  const row = db
    .select({ n: count(), oldest: min(signInAttempts.at) })
    .from(signInAttempts)
    .where(and(eq(signInAttempts.scope, scope), eq(signInAttempts.key, key), gt(signInAttempts.at, now - SIGN_IN_WINDOW_MS)))
    .get();
  return { count: row?.n ?? 0, oldest: row?.oldest ?? null };
}

function secondsUntil(t: number, now: number): number {
  return Math.max(1, Math.ceil((t - now) / 1000));
}
