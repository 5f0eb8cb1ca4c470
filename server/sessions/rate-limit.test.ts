import { describe, expect, it } from 'vitest';
import { countRefusal, limitKeyOf, MAX_TRACKED, retryAfterSeconds, trackedAddresses } from './rate-limit';

describe('the login rate limit', () => {
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
    const now = 1_000_000;
    for (let i = 1; i <= 3; i++) countRefusal(`2001:db8:aa:1::${i}`, now);
    expect(retryAfterSeconds('2001:db8:aa:1::beef', 3, now)).toBeGreaterThan(0);
    expect(retryAfterSeconds('2001:db8:aa:2::1', 3, now)).toBe(0);
  });

  it('stays bounded by forgetting the least recently refused address first, never the whole table', () => {
    const now = 2_000_000;
    for (let i = 0; i < 3; i++) countRefusal('198.51.100.1', now);
    for (let i = 0; i < MAX_TRACKED + 10; i++) {
      countRefusal(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, now);
      // the limited address keeps being refused: it is recent, so it stays
      if (i % 1000 === 0) countRefusal('198.51.100.1', now);
    }
    expect(trackedAddresses()).toBe(MAX_TRACKED);
    expect(retryAfterSeconds('198.51.100.1', 3, now)).toBeGreaterThan(0);
    // the oldest of the flood went first
    expect(retryAfterSeconds('10.0.0.5', 1, now)).toBe(0);
    expect(retryAfterSeconds('10.0.0.20', 1, now)).toBeGreaterThan(0);
    expect(retryAfterSeconds('10.1.134.169', 1, now)).toBeGreaterThan(0);
  });
});
