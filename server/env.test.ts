import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '@/test/support/processes';
import { tempDbFile } from '@/test/support/tmp';
import { EnvError, getEnv } from './env';

describe('environment', () => {
  it('has defaults for every variable', () => {
    expect(getEnv({})).toMatchObject({ PORT: 3000, DATABASE_URL: 'file:./data/ice-sso.db', LOG_LEVEL: 'info', TRUST_PROXY: false });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ DATABASE_URL: ':memory:' }, 'DATABASE_URL'],
    [{ PUBLIC_URL: 'ftp://x' }, 'PUBLIC_URL'],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY'],
  ])('rejects %j naming %s', (source, name) => {
    expect(() => getEnv(source)).toThrow(EnvError);
    expect(() => getEnv(source)).toThrow(new RegExp(`${name}=`));
  });

  it('stops the server at boot with a message naming the bad variable', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'start.mjs')], {
      cwd: ROOT,
      env: { ...process.env, PORT: 'abc', DATABASE_URL: `file:${tempDbFile()}`, ICE_SSO_SKIP_BUILD: '1' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Invalid environment');
    expect(r.stderr).toContain('PORT="abc"');
  });
});
