import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDb } from '@/db/client';
import { usedTokenIds } from '@/db/schema';
import { tempDbFile } from '@/test/support/tmp';
import { sessionHousekeepingTask } from './housekeeping-task';
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
  it('keeps running when a purge fails', () => {
    const db = openDb(tempDbFile());
    db.$client.close();
    const stop = sessionHousekeepingTask.start(db);
    expect(typeof stop).toBe('function');
    stop!();
  });
});
