import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '@/db/client';
import { onPostgres } from '@/test/support/test-database';
import { tempDbFile } from '@/test/support/tmp';
import { startBackgroundServices, startCheckpointer, type BackgroundTask } from './background';
import { leaseHolder } from './lib/lease';

const until = async (check: () => boolean, ms = 3_000) => {
  for (const end = Date.now() + ms; !check();) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('background services on several instances of one database', () => {
  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  it('run a `once` task on the lease holder only, every other task on each instance, and move the `once` task when its holder stops', async () => {
    const file = tempDbFile();
    // two instances in one test process: each has its own connection, which tells them apart
    const instances = new Map<Db, string>();
    const running = { once: [] as string[], each: [] as string[] };
    let mostAtOnce = 0;
    const tasks: BackgroundTask[] = [
      {
        name: 'test-once',
        once: true,
        start: (db) => {
          const name = instances.get(db)!;
          running.once.push(name);
          mostAtOnce = Math.max(mostAtOnce, running.once.length);
          return () => void running.once.splice(running.once.indexOf(name), 1);
        },
      },
      { name: 'test-each', start: (db) => void running.each.push(instances.get(db)!) },
    ];
    const dbA = openDb(file);
    const dbB = openDb(file);
    instances.set(dbA, 'a').set(dbB, 'b');
    const stopA = startBackgroundServices(dbA, tasks, { holder: 'a', ttlMs: 400, renewMs: 50 });
    stops.push(startBackgroundServices(dbB, tasks, { holder: 'b', ttlMs: 400, renewMs: 50 }));
    await new Promise((r) => setTimeout(r, 200));
    expect(running.once).toEqual(['a']);
    expect(running.each.sort()).toEqual(['a', 'b']);
    expect(leaseHolder(dbB, 'background')).toBe('a');
    await stopA();
    await until(() => running.once.includes('b'));
    expect(running.once).toEqual(['b']);
    // never on both at once: a stopped the task before it gave the lease up
    expect(mostAtOnce).toBe(1);
    expect(leaseHolder(dbB, 'background')).toBe('b');
  });
});

/** The WAL header's checkpoint sequence number: SQLite changes it each time the WAL starts over from its beginning. */
function walSequence(file: string): number {
  const fd = fs.openSync(`${file}-wal`, 'r');
  try {
    const header = Buffer.alloc(16);
    fs.readSync(fd, header, 0, 16, 0);
    return header.readUInt32BE(12);
  } finally {
    fs.closeSync(fd);
  }
}

describe('the WAL checkpointer', () => {
  // SQLite's WAL: PostgreSQL checkpoints itself, and no checkpointer runs there
  it.skipIf(onPostgres)(
    'lets the WAL start over from its beginning while writes go on back to back (at least 3 times in 2 s of 100 ms ticks), and every row is kept',
    async () => {
      const file = tempDbFile();
      const db = openDb(file);
      db.$client.exec('CREATE TABLE wal_probe (id INTEGER PRIMARY KEY, v TEXT)');
      const insert = db.$client.prepare('INSERT INTO wal_probe (v) VALUES (?)');
      const write = db.$client.transaction(() => {
        for (let i = 0; i < 4; i++) insert.run('x'.repeat(3000));
      });
      write.immediate();
      const stop = startCheckpointer(db, 100);
      let rows = 4;
      const sequences = new Set([walSequence(file)]);
      // as under load: the worker's checkpoint always has commits racing it, and a WAL that never
      // starts over is written past its end by every commit (docs/benchmarks.md, "Sixth pass")
      await new Promise<void>((resolve) => {
        const end = Date.now() + 2_000;
        const loop = () => {
          write.immediate();
          rows += 4;
          sequences.add(walSequence(file));
          if (Date.now() < end) setImmediate(loop);
          else resolve();
        };
        loop();
      });
      await stop();
      expect(sequences.size).toBeGreaterThanOrEqual(4);
      expect(db.$client.prepare('SELECT count(*) AS n FROM wal_probe').get()).toEqual({ n: rows });
      db.$client.close();
    },
  );
});
