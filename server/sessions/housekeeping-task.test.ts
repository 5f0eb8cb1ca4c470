import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDb } from '@/db/client';
import { loginRefusalWindows, usedTokenIds } from '@/db/schema';
import { tempDbFile } from '@/test/support/tmp';
import { REFUSAL_WINDOWS_PURGE_MS, sessionHousekeepingTask } from './housekeeping-task';
import { countRefusal, WINDOW_MS } from './rate-limit';
import { claimTokenId } from './sessions';

afterEach(() => {
  vi.useRealTimers();
});

describe('session housekeeping', () => {
  it('purges expired token IDs at start and then every hour, until stopped', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const db = openDb(tempDbFile());
    const count = () => db.select().from(usedTokenIds).all().length;
    claimTokenId(db, 'old', Date.now() - 1);
    claimTokenId(db, 'live', Date.now() + 1800_000);
    const stop = sessionHousekeepingTask.start(db)!;
    try {
      expect(count()).toBe(1);
      claimTokenId(db, 'old-2', Date.now() - 1);
      vi.advanceTimersByTime(3600_000 - 1);
      expect(count()).toBe(2);
      vi.advanceTimersByTime(1);
      expect(count()).toBe(1);
    } finally {
      stop();
    }
    claimTokenId(db, 'old-3', Date.now() - 1);
    vi.advanceTimersByTime(3 * 3600_000);
    expect(count()).toBe(2);
  });
  it('deletes the refused-login windows that ended, at start and then every minute', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const db = openDb(tempDbFile());
    const keys = () =>
      db
        .select({ key: loginRefusalWindows.key })
        .from(loginRefusalWindows)
        .all()
        .map((r) => r.key);
    countRefusal(db, '192.0.2.1', Date.now() - WINDOW_MS - 1);
    countRefusal(db, '192.0.2.2', Date.now());
    const stop = sessionHousekeepingTask.start(db)!;
    try {
      expect(keys()).toEqual(['192.0.2.2']);
      countRefusal(db, '192.0.2.3', Date.now() - WINDOW_MS - 1);
      vi.advanceTimersByTime(REFUSAL_WINDOWS_PURGE_MS - 1);
      expect(keys()).toEqual(['192.0.2.2', '192.0.2.3']);
      vi.advanceTimersByTime(1);
      expect(keys()).toEqual(['192.0.2.2']);
    } finally {
      stop();
    }
  });
  it('keeps running when a purge fails', () => {
    const db = openDb(tempDbFile());
    db.$client.close();
    const stop = sessionHousekeepingTask.start(db);
    expect(typeof stop).toBe('function');
    stop!();
  });
});
