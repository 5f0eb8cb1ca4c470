import { describe, expect, it } from 'vitest';
import { openDb } from '@/db/client';
import { signInAttempts } from '@/db/schema';
import { tempDbFile } from '@/test/support/tmp';
import {
  ADDRESS_BUDGET,
  addressKey,
  LOCKOUT_RECORDS_PER_ADDRESS,
  pruneSignInAttempts,
  refundPasswordCheck,
  reservePasswordCheck,
  SIGN_IN_WINDOW_MS,
  takeLockoutRecord,
  USER_NAME_BUDGET,
} from './sign-in-budget';

const T0 = 1_800_000_000_000;

describe('the break-glass sign-in budgets', () => {
  it('allow ten checks per user name from any mix of addresses, then refuse with the time until the oldest leaves the window', () => {
    const db = openDb(tempDbFile());
    for (let i = 0; i < USER_NAME_BUDGET; i++) {
      expect(reservePasswordCheck(db, { username: 'breakglass', ip: `198.51.100.${i}` }, T0 + i * 1000).ok).toBe(true);
    }
    const refused = reservePasswordCheck(db, { username: 'BreakGlass', ip: '203.0.113.200' }, T0 + 60_000);
    expect(refused).toEqual({ ok: false, lockedBy: 'user_name', retryAfterSeconds: (SIGN_IN_WINDOW_MS - 60_000) / 1000 });
    // another name is not affected
    expect(reservePasswordCheck(db, { username: 'someone-else', ip: '203.0.113.200' }, T0 + 60_000).ok).toBe(true);
  });

  it('slide: a check older than five minutes no longer counts', () => {
    const db = openDb(tempDbFile());
    for (let i = 0; i < USER_NAME_BUDGET; i++) reservePasswordCheck(db, { username: 'breakglass', ip: null }, T0 + i);
    expect(reservePasswordCheck(db, { username: 'breakglass', ip: null }, T0 + SIGN_IN_WINDOW_MS - 1).ok).toBe(false);
    expect(reservePasswordCheck(db, { username: 'breakglass', ip: null }, T0 + SIGN_IN_WINDOW_MS).ok).toBe(true);
  });

  it('allow thirty checks per address over any user names, IPv6 counted per /64', () => {
    const db = openDb(tempDbFile());
    for (let i = 0; i < ADDRESS_BUDGET; i++) {
      expect(reservePasswordCheck(db, { username: `name-${i}`, ip: `2001:db8:1:2::${i.toString(16)}` }, T0).ok).toBe(true);
    }
    expect(reservePasswordCheck(db, { username: 'fresh-name', ip: '2001:0db8:0001:0002:ffff::1' }, T0)).toMatchObject({ ok: false, lockedBy: 'address' });
    expect(reservePasswordCheck(db, { username: 'fresh-name', ip: '2001:db8:1:3::1' }, T0).ok).toBe(true);
  });

  it('key addresses: IPv4 as is, IPv4-mapped IPv6 as IPv4, IPv6 by its first 64 bits', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('2001:0db8:0000:0000:abcd::9')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });

  it('give a refunded check back to both budgets', () => {
    const db = openDb(tempDbFile());
    for (let i = 0; i < USER_NAME_BUDGET - 1; i++) reservePasswordCheck(db, { username: 'breakglass', ip: '192.0.2.1' }, T0);
    const last = reservePasswordCheck(db, { username: 'breakglass', ip: '192.0.2.1' }, T0);
    if (!last.ok) throw new Error('the tenth check was refused');
    expect(reservePasswordCheck(db, { username: 'breakglass', ip: '192.0.2.1' }, T0).ok).toBe(false);
    refundPasswordCheck(db, last);
    expect(db.select().from(signInAttempts).all()).toHaveLength(2 * (USER_NAME_BUDGET - 1));
    expect(reservePasswordCheck(db, { username: 'breakglass', ip: '192.0.2.1' }, T0).ok).toBe(true);
  });

  it('are shared by every process on the database: two connections spend one budget', () => {
    const file = tempDbFile();
    const a = openDb(file);
    const b = openDb(file);
    const results = Array.from({ length: 2 * USER_NAME_BUDGET }, (_, i) => reservePasswordCheck(i % 2 ? a : b, { username: 'breakglass', ip: null }, T0).ok);
    expect(results.filter(Boolean)).toHaveLength(USER_NAME_BUDGET);
  });

  it('prune rows that left the window and keep the others', () => {
    const db = openDb(tempDbFile());
    reservePasswordCheck(db, { username: 'old', ip: '192.0.2.1' }, T0);
    reservePasswordCheck(db, { username: 'new', ip: '192.0.2.1' }, T0 + SIGN_IN_WINDOW_MS - 1);
    expect(pruneSignInAttempts(db, T0 + SIGN_IN_WINDOW_MS)).toBe(2);
    expect(
      db
        .select({ key: signInAttempts.key })
        .from(signInAttempts)
        .all()
        .map((r) => r.key)
        .sort(),
    ).toEqual(['192.0.2.1', 'new']);
  });

  it('record locked-out attempts one by one up to the ceiling per address, then one summary, then none', () => {
    const db = openDb(tempDbFile());
    const seen = Array.from({ length: LOCKOUT_RECORDS_PER_ADDRESS + 5 }, () => takeLockoutRecord(db, '192.0.2.9', T0));
    expect(seen.filter((s) => s === 'record')).toHaveLength(LOCKOUT_RECORDS_PER_ADDRESS);
    expect(seen[LOCKOUT_RECORDS_PER_ADDRESS]).toBe('summarize');
    expect(seen.slice(LOCKOUT_RECORDS_PER_ADDRESS + 1).every((s) => s === 'skip')).toBe(true);
    expect(takeLockoutRecord(db, '192.0.2.10', T0)).toBe('record');
    expect(takeLockoutRecord(db, '192.0.2.9', T0 + SIGN_IN_WINDOW_MS)).toBe('record');
  });
});
