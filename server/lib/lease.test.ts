import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '@/db/client';
import { tempDbFile } from '@/test/support/tmp';
import { instanceId, leaseHolder, releaseLease, runWhileLeader, tryAcquireLease } from './lease';

const until = async (check: () => boolean, ms = 3_000) => {
  for (const end = Date.now() + ms; !check();) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('a lease', () => {
  it('goes to one holder at a time: the second waits until the first expires, then takes it over', () => {
    const file = tempDbFile();
    const a = openDb(file);
    const b = openDb(file);
    const t = 1_000_000;
    expect(tryAcquireLease(a, 'work', 'a', 10_000, t)).toBe(true);
    expect(tryAcquireLease(b, 'work', 'b', 10_000, t + 1)).toBe(false);
    // the holder renews: its lease now runs to t + 9 s + 10 s
    expect(tryAcquireLease(a, 'work', 'a', 10_000, t + 9_000)).toBe(true);
    expect(tryAcquireLease(b, 'work', 'b', 10_000, t + 18_999)).toBe(false);
    expect(leaseHolder(b, 'work', t + 18_999)).toBe('a');
    // the holder stopped renewing (killed): at expiry the other takes it, and the old holder cannot renew
    expect(tryAcquireLease(b, 'work', 'b', 10_000, t + 19_000)).toBe(true);
    expect(tryAcquireLease(a, 'work', 'a', 10_000, t + 19_001)).toBe(false);
    expect(leaseHolder(a, 'work', t + 19_001)).toBe('b');
    // leases of other names are independent
    expect(tryAcquireLease(a, 'other', 'a', 10_000, t + 19_001)).toBe(true);
  });

  it('is free at once after its holder releases it, and a release by someone else changes nothing', () => {
    const db = openDb(tempDbFile());
    const t = 2_000_000;
    expect(tryAcquireLease(db, 'work', 'a', 10_000, t)).toBe(true);
    releaseLease(db, 'work', 'b');
    expect(tryAcquireLease(db, 'work', 'b', 10_000, t + 1)).toBe(false);
    releaseLease(db, 'work', 'a');
    expect(tryAcquireLease(db, 'work', 'b', 10_000, t + 2)).toBe(true);
  });

  it('names this process by host and pid, the same name every call', () => {
    expect(instanceId()).toContain(`/${process.pid}/`);
    expect(instanceId()).toBe(instanceId());
  });
});

describe('runWhileLeader', () => {
  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  it('runs the work on one of two instances; when the leader stops renewing, the other starts it within the lease time', async () => {
    const file = tempDbFile();
    const running: string[] = [];
    const start = (holder: string) =>
      runWhileLeader(openDb(file), {
        name: 'background',
        holder,
        ttlMs: 400,
        renewMs: 50,
        lead: () => {
          running.push(holder);
          return () => void running.splice(running.indexOf(holder), 1);
        },
      });
    const stopA = start('a');
    stops.push(start('b'));
    await new Promise((r) => setTimeout(r, 200));
    expect(running).toEqual(['a']);
    // a clean stop releases the lease: b leads at its next try, well before a's lease would expire
    const stoppedAt = Date.now();
    await stopA();
    await until(() => running.includes('b'));
    expect(Date.now() - stoppedAt).toBeLessThan(400);
    expect(running).toEqual(['b']);
  });

  it('takes over from a holder that died without releasing, after the lease expired and not before', async () => {
    const file = tempDbFile();
    const db = openDb(file);
    // a holder that died: its row stays until it expires
    const diedAt = Date.now();
    expect(tryAcquireLease(db, 'background', 'dead', 500, diedAt)).toBe(true);
    let ledAt = 0;
    stops.push(
      runWhileLeader(openDb(file), {
        name: 'background',
        holder: 'b',
        ttlMs: 500,
        renewMs: 50,
        lead: () => {
          ledAt = Date.now();
          return () => undefined;
        },
      }),
    );
    await until(() => ledAt > 0);
    expect(ledAt - diedAt).toBeGreaterThanOrEqual(500);
    expect(ledAt - diedAt).toBeLessThan(500 + 300);
  });

  it('stops the work when the lease is lost to another holder (this process stalled past its expiry)', async () => {
    const file = tempDbFile();
    const db = openDb(file);
    let leading = false;
    stops.push(
      runWhileLeader(db, {
        name: 'background',
        holder: 'a',
        ttlMs: 60_000,
        renewMs: 50,
        lead: () => {
          leading = true;
          return () => void (leading = false);
        },
      }),
    );
    expect(leading).toBe(true);
    // as if a's lease had expired and b took it over
    openDb(file).$client.prepare("UPDATE leases SET holder = 'b' WHERE name = 'background'").run();
    await until(() => !leading);
  });
});
