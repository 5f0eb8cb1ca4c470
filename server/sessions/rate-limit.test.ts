import { beforeEach, describe, expect, it } from 'vitest';
import { openDb } from '@/db/client';
import { loginRefusalWindows } from '@/db/schema';
import { freshProcessState } from '@/test/support/process-state';
import { tempDbFile } from '@/test/support/tmp';
import { countRefusal, limitKeyOf, MAX_TRACKED, purgeRefusalWindows, retryAfterSeconds, trackedAddresses, WINDOW_MS } from './rate-limit';
import { onPostgres } from '@/test/support/test-database';

describe('the login rate limit', () => {
  beforeEach(() => freshProcessState());

  it('keys IPv4 by address and IPv6 by its /64', () => {
    expect(limitKeyOf('192.0.2.1')).toBe('192.0.2.1');
    expect(limitKeyOf('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(limitKeyOf('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(limitKeyOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(limitKeyOf('::1')).toBe('0:0:0:0::/64');
    // an IPv4-mapped address is that IPv4 client (it used to fall into the all-zero /64, shared by every such client)
    expect(limitKeyOf('::ffff:192.0.2.1')).toBe('192.0.2.1');
  });

  it('limits a whole IPv6 /64 together, and not its neighbour', () => {
    const db = openDb(tempDbFile());
    const now = 1_000_000;
    for (let i = 1; i <= 3; i++) countRefusal(db, `2001:db8:aa:1::${i}`, now);
    expect(retryAfterSeconds(db, '2001:db8:aa:1::beef', 3, now)).toBeGreaterThan(0);
    expect(retryAfterSeconds(db, '2001:db8:aa:2::1', 3, now)).toBe(0);
  });

  it('is one budget for every process on the database: refusals counted through two connections add up, read by a process that counted none', () => {
    const file = tempDbFile();
    const a = openDb(file);
    const b = openDb(file);
    const now = 3_000_000;
    for (let i = 0; i < 2; i++) countRefusal(a, '192.0.2.10', now);
    for (let i = 0; i < 2; i++) countRefusal(b, '192.0.2.10', now + 1000);
    // a third process: nothing in memory, the database alone says the address is over
    freshProcessState();
    const c = openDb(file);
    expect(retryAfterSeconds(c, '192.0.2.10', 5, now + 2000)).toBe(0);
    expect(retryAfterSeconds(c, '192.0.2.10', 4, now + 2000)).toBe(58);
    expect(c.select().from(loginRefusalWindows).all()).toEqual([{ key: '192.0.2.10', windowStart: now, count: 4 }]);
  });

  // SQLite's change counter
  it.skipIf(onPostgres)('reads and never writes for an address under the limit, and skips even the read once it knows the address is over', () => {
    const db = openDb(tempDbFile());
    const now = 4_000_000;
    const writes = () => db.$client.prepare('SELECT total_changes() AS n').get() as { n: number };
    const before = writes().n;
    expect(retryAfterSeconds(db, '192.0.2.20', 2, now)).toBe(0);
    expect(writes().n).toBe(before);
    countRefusal(db, '192.0.2.20', now);
    countRefusal(db, '192.0.2.20', now);
    expect(retryAfterSeconds(db, '192.0.2.20', 2, now)).toBe(60);
    // the row goes away under the process's feet: it still knows the address is over until the window ends
    db.delete(loginRefusalWindows).run();
    expect(retryAfterSeconds(db, '192.0.2.20', 2, now + 1000)).toBe(59);
    expect(retryAfterSeconds(db, '192.0.2.20', 2, now + WINDOW_MS)).toBe(0);
  });

  it('keeps limiting from its own memory while the database cannot answer', () => {
    const db = openDb(tempDbFile());
    const now = 5_000_000;
    countRefusal(db, '192.0.2.30', now);
    db.$client.close();
    expect(() => countRefusal(db, '192.0.2.30', now + 1)).not.toThrow();
    expect(retryAfterSeconds(db, '192.0.2.30', 2, now + 2)).toBe(60);
    expect(retryAfterSeconds(db, '192.0.2.30', 3, now + 2)).toBe(0);
  });

  it('purges only the windows that ended', () => {
    const db = openDb(tempDbFile());
    const now = 6_000_000;
    countRefusal(db, '192.0.2.40', now - WINDOW_MS);
    countRefusal(db, '192.0.2.41', now - WINDOW_MS + 1);
    expect(purgeRefusalWindows(db, now)).toBe(1);
    expect(db.select({ key: loginRefusalWindows.key }).from(loginRefusalWindows).all()).toEqual([{ key: '192.0.2.41' }]);
  });

  it("bounds the process's memory by forgetting the least recently refused address first, never the whole table; the database still limits what it forgot", () => {
    const db = openDb(tempDbFile());
    const now = 2_000_000;
    for (let i = 0; i < 3; i++) countRefusal(db, '198.51.100.1', now);
    db.$client.transaction(() => {
      for (let i = 0; i < MAX_TRACKED + 10; i++) {
        countRefusal(db, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, now);
        // the limited address keeps being refused: it is recent, so it stays
        if (i % 1000 === 0) countRefusal(db, '198.51.100.1', now);
      }
    })();
    expect(trackedAddresses()).toBe(MAX_TRACKED);
    expect(retryAfterSeconds(db, '198.51.100.1', 3, now)).toBeGreaterThan(0);
    // the oldest of the flood went first from memory, and the database still has its count
    const map = (globalThis as Record<symbol, Map<string, unknown>>)[Symbol.for('ice-sso.login-rate-limit')]!;
    expect(map.has('10.0.0.5')).toBe(false);
    expect(map.has('10.0.0.20')).toBe(true);
    expect(retryAfterSeconds(db, '10.0.0.5', 1, now)).toBe(60);
    expect(trackedAddresses()).toBe(MAX_TRACKED);
  });
});
