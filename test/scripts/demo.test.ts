import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '@/db/client';
import { getSettings, updateSettings } from '@/server/settings/service';
import { ROOT } from '@/test/support/processes';
import { tempDbFile } from '@/test/support/tmp';

describe('npm run demo', () => {
  it('refuses a DATABASE_URL naming a database it did not create, and leaves its settings untouched', () => {
    const file = tempDbFile();
    const db = openDb(file);
    updateSettings(db, { tenantId: '8eaef023-2b34-4da1-9baa-8bc8c9d6a490' }, { kind: 'cli', name: 'test' });
    const before = getSettings(db).version;
    db.$client.close();
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'demo.mjs')], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: `file:${file}`, PORT: '1', DEMO_ENTRA_PORT: '1' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/did not create/);
    const after = openDb(file);
    expect(getSettings(after).version).toBe(before);
    after.$client.close();
    expect(fs.existsSync(`${file}.demo`)).toBe(false);
  });

  it('refuses a DATABASE_URL that is not a SQLite file', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'demo.mjs')], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: 'postgres://u:p@127.0.0.1/x' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/not a SQLite file/);
  });
});
