import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '@/db/client';
import { onPostgres } from '@/test/support/test-database';
import { tempDir } from '@/test/support/tmp';

describe.skipIf(onPostgres)('a SQLite connection of openDb()', () => {
  const db = openDb(path.join(tempDir(), 'pragmas.db'));
  afterAll(() => db.$client.close());
  const pragma = (name: string) => db.$client.pragma(name, { simple: true });

  it('runs in WAL mode with synchronous NORMAL, foreign keys on, a 5 s busy timeout and temporary storage in memory (statement journals never spill to a file)', () => {
    expect(pragma('journal_mode')).toBe('wal');
    expect(pragma('synchronous')).toBe(1);
    expect(pragma('foreign_keys')).toBe(1);
    expect(pragma('busy_timeout')).toBe(5000);
    // 2 = MEMORY (0 would be the compile-time default, a file past 64 KiB)
    expect(pragma('temp_store')).toBe(2);
  });
});
