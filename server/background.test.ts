import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '@/db/client';
import { tempDbFile } from '@/test/support/tmp';
import { startBackgroundServices, type BackgroundTask } from './background';
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
