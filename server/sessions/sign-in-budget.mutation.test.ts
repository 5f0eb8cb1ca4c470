import { describe, expect, it } from 'vitest';
import { openDb, type Db } from '@/db/client';
import { signInAttempts } from '@/db/schema';
import { tempDbFile } from '@/test/support/tmp';
import {
  ADDRESS_BUDGET,
  LOCKOUT_RECORDS_PER_ADDRESS,
  LOCKOUT_RECORDS_TOTAL,
  reservePasswordCheck,
  SIGN_IN_WINDOW_MS,
  takeLockoutRecord,
  USER_NAME_BUDGET,
} from './sign-in-budget';

const rows = (db: Db) =>
  db
    .select({ key: signInAttempts.key })
    .from(signInAttempts)
    .all()
    .map((r) => r.key)
    .sort();

/** Later than any clock the other tests use, so this file decides when the last prune ran. */
const L = 4_000_000_000_000;

describe('the break-glass sign-in budgets, at their edges', () => {
  it('count a user name in any case and with surrounding spaces as one budget', () => {
    const db = openDb(tempDbFile());
    for (let i = 0; i < USER_NAME_BUDGET; i++) reservePasswordCheck(db, { username: i % 2 ? ' BreakGlass ' : 'breakglass', ip: null }, L);
    expect(reservePasswordCheck(db, { username: 'BREAKGLASS', ip: null }, L)).toEqual({
      ok: false,
      lockedBy: 'user_name',
      retryAfterSeconds: SIGN_IN_WINDOW_MS / 1000,
    });
  });

  it('refuse the thirty-first check of an address with the whole seconds until its oldest check leaves the window', () => {
    const db = openDb(tempDbFile());
    for (let i = 0; i < ADDRESS_BUDGET; i++) expect(reservePasswordCheck(db, { username: `name-${i}`, ip: '192.0.2.77' }, L + i).ok).toBe(true);
    expect(reservePasswordCheck(db, { username: 'fresh', ip: '192.0.2.77' }, L + 1_500)).toEqual({
      ok: false,
      lockedBy: 'address',
      retryAfterSeconds: Math.ceil((SIGN_IN_WINDOW_MS - 1_500) / 1000),
    });
    expect(reservePasswordCheck(db, { username: 'fresh', ip: '192.0.2.77' }, L + SIGN_IN_WINDOW_MS - 1)).toMatchObject({ ok: false, retryAfterSeconds: 1 });
    // a refused check reserves nothing: still one row per accepted check and budget
    expect(db.select().from(signInAttempts).all()).toHaveLength(2 * ADDRESS_BUDGET);
  });

  it('prune at most every 10 s, at exactly 10 s, and again at once when the clock went back', () => {
    const db = openDb(tempDbFile());
    reservePasswordCheck(db, { username: 'a', ip: null }, L); // prunes: the last prune is now L
    reservePasswordCheck(db, { username: 'b', ip: null }, L + 5_000); // 5 s later: no prune
    reservePasswordCheck(db, { username: 'c', ip: null }, L + SIGN_IN_WINDOW_MS + 1); // prunes what is older than L + 1
    expect(rows(db)).toEqual(['b', 'c']);
    reservePasswordCheck(db, { username: 'd', ip: null }, L + SIGN_IN_WINDOW_MS + 10_000); // 9.999 s after the last prune: b stays
    expect(rows(db)).toEqual(['b', 'c', 'd']);
    reservePasswordCheck(db, { username: 'e', ip: null }, L + SIGN_IN_WINDOW_MS + 10_001); // exactly 10 s: prunes b (L + 5 s)
    expect(rows(db)).toEqual(['c', 'd', 'e']);
    // the clock went back a day: the next reservation prunes at once (rows older than its window)
    const back = L - 24 * 60 * 60 * 1000;
    db.insert(signInAttempts)
      .values({ scope: 'user_name', key: 'old', at: back - SIGN_IN_WINDOW_MS })
      .run();
    reservePasswordCheck(db, { username: 'f', ip: null }, back);
    expect(rows(db)).toEqual(['c', 'd', 'e', 'f']);
  });

  it('record locked-out attempts up to 500 in all, from any addresses: then one summary, then none, until they leave the window', () => {
    const db = openDb(tempDbFile());
    const perAddress = LOCKOUT_RECORDS_PER_ADDRESS;
    const addresses = LOCKOUT_RECORDS_TOTAL / perAddress;
    const seen: string[] = [];
    for (let a = 0; a < addresses; a++) for (let i = 0; i < perAddress; i++) seen.push(takeLockoutRecord(db, `10.9.${a}.1`, L));
    expect(seen.every((s) => s === 'record')).toBe(true);
    expect(takeLockoutRecord(db, '10.9.200.1', L)).toBe('summarize');
    expect(takeLockoutRecord(db, '10.9.201.1', L)).toBe('skip');
    expect(takeLockoutRecord(db, '10.9.202.1', L + SIGN_IN_WINDOW_MS - 1)).toBe('skip');
    expect(takeLockoutRecord(db, '10.9.203.1', L + SIGN_IN_WINDOW_MS)).toBe('record');
  });

  it('count locked-out attempts without an address under one key, and its ceiling apart from the addresses', () => {
    const db = openDb(tempDbFile());
    const seen = Array.from({ length: LOCKOUT_RECORDS_PER_ADDRESS + 2 }, () => takeLockoutRecord(db, null, L));
    expect(seen.filter((s) => s === 'record')).toHaveLength(LOCKOUT_RECORDS_PER_ADDRESS);
    expect(seen.slice(-2)).toEqual(['summarize', 'skip']);
    expect(takeLockoutRecord(db, '192.0.2.1', L)).toBe('record');
    expect(rows(db).filter((k) => k === '-')).toHaveLength(LOCKOUT_RECORDS_PER_ADDRESS + 1);
  });
});
