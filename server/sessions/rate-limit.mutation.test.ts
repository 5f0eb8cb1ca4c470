import { beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '@/db/client';
import { freshProcessState } from '@/test/support/process-state';
import { tempDir } from '@/test/support/tmp';
import path from 'node:path';
import { countRefusal as countRefusalIn, retryAfterSeconds as retryAfterSecondsIn, trackedAddresses } from './rate-limit';

const T = 5_000_000;
const dir = tempDir();
let files = 0;
let db: Db;
const countRefusal = (ip: string | null, now: number) => countRefusalIn(db, ip, now);
const retryAfterSeconds = (ip: string | null, limit: number, now: number) => retryAfterSecondsIn(db, ip, limit, now);

describe('the login rate limit, at its edges', () => {
  beforeEach(() => {
    freshProcessState();
    db = openDb(path.join(dir, `${files++}.db`));
  });

  it('limits at exactly the limit, not one refusal before it', () => {
    countRefusal('192.0.2.61', T);
    countRefusal('192.0.2.61', T);
    expect(retryAfterSeconds('192.0.2.61', 3, T)).toBe(0);
    countRefusal('192.0.2.61', T);
    expect(retryAfterSeconds('192.0.2.61', 3, T)).toBe(60);
  });

  it('answers the whole seconds left in the window, at least 1', () => {
    for (let i = 0; i < 2; i++) countRefusal('192.0.2.62', T);
    expect(retryAfterSeconds('192.0.2.62', 2, T + 30_500)).toBe(30);
    expect(retryAfterSeconds('192.0.2.62', 2, T + 59_999)).toBe(1);
    expect(retryAfterSeconds('192.0.2.62', 2, T + 60_000)).toBe(0);
  });

  it('starts a new window of one refusal at exactly 60 s, counting from then', () => {
    for (let i = 0; i < 3; i++) countRefusal('192.0.2.63', T);
    countRefusal('192.0.2.63', T + 60_000);
    expect(retryAfterSeconds('192.0.2.63', 2, T + 60_000)).toBe(0);
    countRefusal('192.0.2.63', T + 60_000);
    // the new window started at T + 60 s: limited until T + 120 s
    expect(retryAfterSeconds('192.0.2.63', 2, T + 90_000)).toBe(30);
  });

  it('keeps counting inside one window (59.999 s after its start)', () => {
    countRefusal('192.0.2.64', T);
    countRefusal('192.0.2.64', T + 59_999);
    expect(retryAfterSeconds('192.0.2.64', 2, T + 59_999)).toBe(1);
  });

  it('is off with a limit of 0 or less, and ignores a request without an address', () => {
    countRefusal('192.0.2.65', T);
    expect(retryAfterSeconds('192.0.2.65', 1, T)).toBe(60);
    expect(retryAfterSeconds('192.0.2.65', 0, T)).toBe(0);
    expect(retryAfterSeconds('192.0.2.65', -1, T)).toBe(0);
    expect(retryAfterSeconds(null, 1, T)).toBe(0);
    expect(retryAfterSeconds('', 1, T)).toBe(0);
    countRefusal(null, T);
    countRefusal('', T);
    expect(trackedAddresses()).toBe(1);
  });

  it('does not limit an address it never counted', () => {
    countRefusal('192.0.2.66', T);
    expect(retryAfterSeconds('192.0.2.67', 1, T)).toBe(0);
  });
});
