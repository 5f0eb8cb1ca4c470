import { afterEach, describe, expect, it } from 'vitest';
import { PasswordHashBusyError, PasswordHashFailedError, PasswordHashPool, type ScryptJob } from './hash-pool';

const cheap: ScryptJob = { password: 'p', salt: Buffer.alloc(16), keylen: 32, N: 16, r: 1, p: 1, maxmem: 32 * 1024 * 1024 };
/** About a second of one thread: N=2^18, r=8 (256 MiB). */
const slow: ScryptJob = { ...cheap, N: 2 ** 18, r: 8, maxmem: 300 * 1024 * 1024 };

const pools: PasswordHashPool[] = [];
const newPool = (threads: number) => {
  const p = new PasswordHashPool({ threads, maxWaiting: 8, jobTimeoutMs: 60_000 });
  pools.push(p);
  return p;
};
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe('the password hashing pool', () => {
  it('refuses to hash on a released ticket, without starting a job', async () => {
    const pool = newPool(1);
    const t = pool.admit();
    t.release();
    await expect(t.scrypt(cheap)).rejects.toThrow(new PasswordHashFailedError('hash ticket already released'));
    expect(pool.completed).toBe(0);
  });

  it("fails a job the worker cannot compute with the worker's own error", async () => {
    const pool = newPool(1);
    const t = pool.admit();
    const err = await t.scrypt({ ...cheap, N: 2 ** 17, r: 8, maxmem: 1024 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PasswordHashFailedError);
    expect((err as Error).message).toMatch(/memory/i);
    expect(pool.completed).toBe(1);
    // the thread still works
    expect((await t.scrypt(cheap)).length).toBe(32);
    t.release();
  });

  it('gives a job to the idle thread, not the one busy with a long hash (the busy one is the first)', async () => {
    const pool = newPool(2);
    const t = pool.admit();
    let slowDone = false;
    const long = t.scrypt(slow).then(() => (slowDone = true)); // thread 1
    await t.scrypt(cheap); // thread 2
    await t.scrypt(cheap); // thread 2 again: thread 1 still has the long hash
    expect(slowDone).toBe(false);
    await long;
    t.release();
  });

  it('gives a job to the idle thread, not the one busy with a long hash (the busy one is the last)', async () => {
    const pool = newPool(2);
    const t = pool.admit();
    await t.scrypt(cheap); // thread 1, idle again
    let slowDone = false;
    const long = t.scrypt(slow).then(() => (slowDone = true)); // thread 2 (spawned: fewer threads than the limit)
    await t.scrypt(cheap); // thread 1
    expect(slowDone).toBe(false);
    await long;
    t.release();
  });

  it('fails a job past its time limit and names the limit', async () => {
    const pool = new PasswordHashPool({ threads: 1, maxWaiting: 1, jobTimeoutMs: 50 });
    pools.push(pool);
    const t = pool.admit();
    await expect(t.scrypt(slow)).rejects.toThrow(new PasswordHashFailedError('password hash took longer than 50 ms'));
    expect(pool.completed).toBe(1);
    t.release();
  });

  it('refuses past its bound with the seconds the admitted sign-ins need (0.5 s each at first, over the threads), rounded up', () => {
    const pool = new PasswordHashPool({ threads: 2, maxWaiting: 3, jobTimeoutMs: 1000 });
    const tickets = Array.from({ length: 5 }, () => pool.admit());
    const err = (() => {
      try {
        pool.admit();
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(PasswordHashBusyError);
    // 5 admitted × 500 ms / 2 threads = 1.25 s
    expect(err).toMatchObject({
      retryAfterSeconds: 2,
      code: 'ERR_PASSWORD_HASH_BUSY',
      kind: 'rate_limited',
      reason: 'password_hash_busy',
      status: 429,
      message: 'The server is checking too many passwords right now.',
    });
    for (const t of tickets) t.release();
  });

  it('replaces a thread whose job ran past the limit: the next job runs on a new one', async () => {
    const pool = new PasswordHashPool({ threads: 1, maxWaiting: 1, jobTimeoutMs: 400 });
    pools.push(pool);
    const t = pool.admit();
    const err = await t.scrypt(slow).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'ERR_PASSWORD_HASH_FAILED', kind: 'internal', reason: 'password_hash_failed', status: 500 });
    expect((await t.scrypt(cheap)).length).toBe(32);
    t.release();
  });

  it('fails the jobs in flight when closed, and hashes again afterwards on a new thread', async () => {
    const pool = newPool(1);
    const t = pool.admit();
    const inFlight = t.scrypt(slow).then(
      () => null,
      (e: unknown) => e,
    );
    await new Promise((r) => setTimeout(r, 50));
    await pool.close();
    expect(await inFlight).toEqual(new PasswordHashFailedError('password hash worker stopped'));
    expect((await t.scrypt(cheap)).length).toBe(32);
    t.release();
  });

  it("refuses with the seconds that the recent hashes' running average says the admitted ones need", async () => {
    const pool = new PasswordHashPool({ threads: 1, maxWaiting: 99, jobTimeoutMs: 60_000 });
    pools.push(pool);
    const t = pool.admit();
    // about 50 ms each: the average moves from its first guess (500 ms) a fifth of the way to each
    const job: ScryptJob = { ...cheap, N: 2 ** 14, r: 8, maxmem: 64 * 1024 * 1024 };
    let average = 500;
    for (let i = 0; i < 15; i++) {
      const started = Date.now();
      await t.scrypt(job);
      average = average * 0.8 + (Date.now() - started) * 0.2;
    }
    const tickets = Array.from({ length: 99 }, () => pool.admit());
    const err = (() => {
      try {
        pool.admit();
      } catch (e) {
        return e as PasswordHashBusyError;
      }
    })();
    // 100 admitted, one thread: 100 × the average, in seconds, rounded up (the two clocks differ by a millisecond or so)
    const expected = Math.ceil((average * 100) / 1000);
    expect(err?.retryAfterSeconds).toBeGreaterThanOrEqual(expected - 1);
    expect(err?.retryAfterSeconds).toBeLessThanOrEqual(expected + 1);
    for (const x of tickets) x.release();
    t.release();
  });
});
