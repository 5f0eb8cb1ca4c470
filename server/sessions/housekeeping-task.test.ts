import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDb } from '@/db/client';
import { loginRefusalWindows, usedTokenIds } from '@/db/schema';
import { captureLogLines } from '@/test/support/log-capture';
import { tempDbFile } from '@/test/support/tmp';
import { REFUSAL_WINDOWS_PURGE_MS, sessionHousekeepingTask } from './housekeeping-task';
import { countRefusal, WINDOW_MS } from './rate-limit';
import { claimTokenId } from './sessions';

// the process's logger, writing to memory while this file runs
const captured = captureLogLines();
const logged = () => captured.map((l) => JSON.parse(l) as Record<string, unknown>);

afterEach(() => {
  vi.useRealTimers();
  captured.length = 0;
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
  it('keeps running when a purge fails, and says so in a warning for each purge', () => {
    const db = openDb(tempDbFile());
    db.$client.close();
    const stop = sessionHousekeepingTask.start(db);
    expect(typeof stop).toBe('function');
    stop!();
    expect(logged().map((l) => [l.level, l.msg, typeof l.error])).toEqual([
      ['warn', 'session housekeeping failed', 'string'],
      ['warn', 'could not purge refused-login windows', 'string'],
    ]);
  });

  it('logs what it purged when it purged something, and nothing when there was nothing to purge', () => {
    const db = openDb(tempDbFile());
    sessionHousekeepingTask.start(db)!();
    expect(logged()).toEqual([]);
    claimTokenId(db, 'old', Date.now() - 1);
    sessionHousekeepingTask.start(db)!();
    expect(logged()).toHaveLength(1);
    expect(logged()[0]).toMatchObject({ level: 'info', msg: 'expired sessions and token IDs purged', tokenIds: 1, sessions: 0 });
  });
});
