import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '@/test/support/processes';
import { databaseUrlProblem, EnvError, getEnv } from './env';

describe('DATABASE_URL', () => {
  it.each(['file:./data/ice-sso.db', 'file:///var/lib/ice-sso/ice-sso.db', './data/x.db', '/abs/path/x.db'])('accepts the SQLite form %s', (url) => {
    expect(databaseUrlProblem(url)).toBeNull();
    expect(getEnv({ DATABASE_URL: url }).DATABASE_URL).toBe(url);
  });

  it.each(['postgres://u:p@127.0.0.1:5432/x', 'postgresql://db.example/ice_sso?sslmode=require', 'POSTGRES://u@db:6432/x'])(
    'accepts the PostgreSQL form %s',
    (url) => {
      expect(databaseUrlProblem(url)).toBeNull();
      expect(getEnv({ DATABASE_URL: url }).DATABASE_URL).toBe(url);
    },
  );

  it.each(['mysql://u:p@db/x', 'sqlite://x.db', 'http://example.com/db', 'postgres:x', 'postgresql:/db/x', 'postgres:///x'])(
    'refuses %s with a message naming the variable',
    (url) => {
      expect(() => getEnv({ DATABASE_URL: url })).toThrow(EnvError);
      expect(() => getEnv({ DATABASE_URL: url })).toThrow(/DATABASE_URL=/);
    },
  );

  it('stops `npm start` on a PostgreSQL that does not answer, naming the variable without its password, and creates no file named after the scheme', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'start.mjs')], {
      cwd: ROOT,
      // port 9 (discard) on loopback: nothing listens, the connection is refused at once
      env: { ...process.env, DATABASE_URL: 'postgres://u:s3cret-pw@127.0.0.1:9/x', ICE_SSO_SKIP_BUILD: '1', LOG_LEVEL: 'info' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('DATABASE_URL=postgres://u@127.0.0.1:9/x');
    expect(r.stderr).toMatch(/PostgreSQL/);
    expect(r.stderr + r.stdout).not.toContain('s3cret-pw');
    expect(r.stdout).not.toContain('listening');
    expect(fs.existsSync(path.join(ROOT, 'postgres:'))).toBe(false);
  });
});
