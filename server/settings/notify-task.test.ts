import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '@/db/client';
import { startPostgres, type TestPostgres } from '@/test/postgres';
import { settingsNotifyTask } from './notify-task';
import { getSettings, onSettingsChange, updateSettings, type CurrentSettings } from './service';

const cli = { kind: 'cli', name: 'test' } as const;

async function waitFor<T>(get: () => T | undefined, ms: number): Promise<T | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('settings announced over LISTEN/NOTIFY on PostgreSQL', () => {
  let pg: TestPostgres;
  let a: Db;
  let b: Db;
  beforeAll(async () => {
    pg = await startPostgres();
    a = openDb(pg.url);
    b = openDb(pg.url, { migrate: false });
  });
  afterAll(async () => {
    a?.$client.close();
    b?.$client.close();
    await pg?.stop();
  });

  it('tells another instance of a saved version at once, without that instance asking (its 0.5 s re-check never runs here)', async () => {
    const stop = settingsNotifyTask.start(b)!;
    try {
      // the listener connects, then reads what was saved while it was away
      await new Promise((r) => setTimeout(r, 500));
      expect(getSettings(b).version).toBe(0);
      let seen: CurrentSettings | undefined;
      const off = onSettingsChange(b, (s) => (seen = s));
      const saved = updateSettings(a, { domainHint: 'contoso.example' }, cli);
      const started = Date.now();
      const heard = await waitFor(() => seen, 2_000);
      off();
      expect(heard?.version).toBe(saved.version);
      expect(heard?.effective.domainHint).toBe('contoso.example');
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      await stop();
    }
  });

  it('falls back to the re-check when no one listens: the version arrives at the next getSettings after 0.5 s, not by itself', async () => {
    const before = getSettings(b).version;
    let seen: CurrentSettings | undefined;
    const off = onSettingsChange(b, (s) => (seen = s));
    const saved = updateSettings(a, { domainHint: 'fabrikam.example' }, cli);
    await new Promise((r) => setTimeout(r, 700));
    expect(seen).toBeUndefined();
    expect(getSettings(b).version).toBe(saved.version);
    expect(saved.version).toBe(before + 1);
    expect(seen?.effective.domainHint).toBe('fabrikam.example');
    off();
  });

  it('keeps the process alive while its stop closes the listener’s connection (that socket is unref’d while it listens)', () => {
    const root = path.resolve(__dirname, '..', '..');
    const child = spawnSync(process.execPath, ['--require', './scripts/preload.cjs', path.join(__dirname, 'fixtures', 'stop-listener.ts'), pg.url], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, LOG_LEVEL: 'silent' },
      timeout: 30_000,
    });
    expect(child.stderr).toBe('');
    expect(child.stdout).toBe('listening\nstopped\n');
    expect(child.status).toBe(0);
  });

  it('does nothing on SQLite (no channel there: the re-check is the only way)', () => {
    expect(settingsNotifyTask.start(openDb(':memory:'))).toBeUndefined();
  });
});
