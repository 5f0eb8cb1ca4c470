import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '@/test/support/processes';
import { tempDbFile } from '@/test/support/tmp';
import { EnvError, getEnv } from './env';

describe('environment', () => {
  it('has defaults for every variable', () => {
    expect(getEnv({})).toMatchObject({ PORT: 3000, DATABASE_URL: 'file:./data/ice-sso.db', LOG_LEVEL: 'info', TRUST_PROXY: { kind: 'none' } });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ DATABASE_URL: ':memory:' }, 'DATABASE_URL'],
    [{ PUBLIC_URL: 'ftp://x' }, 'PUBLIC_URL'],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '10.0.0.0/8,garbage' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '10.0.0.0/33' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '999.1.1.1' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '-1' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '1000' }, 'TRUST_PROXY'],
    [{ MAX_CONNECTIONS: '0' }, 'MAX_CONNECTIONS'],
    [{ METRICS_TOKEN: 'fifteen-chars-x' }, 'METRICS_TOKEN'],
    [{ METRICS_TOKEN: 'has a space in it, long enough' }, 'METRICS_TOKEN'],
  ])('rejects %j naming %s', (source, name) => {
    expect(() => getEnv(source)).toThrow(EnvError);
    expect(() => getEnv(source)).toThrow(new RegExp(`${name}=`));
  });

  it('takes a METRICS_TOKEN of 16 characters or more, and never shows a bad one, only its length', () => {
    expect(getEnv({ METRICS_TOKEN: 'sixteen-chars-xx' }).METRICS_TOKEN).toBe('sixteen-chars-xx');
    expect(getEnv({}).METRICS_TOKEN).toBeUndefined();
    expect(() => getEnv({ METRICS_TOKEN: 'hunter2-secret' })).toThrow('METRICS_TOKEN=<14 characters>: must be at least 16 characters');
    expect(() => getEnv({ METRICS_TOKEN: 'hunter2-secret' })).not.toThrow(/hunter2/);
  });

  it.each([
    ['false', { kind: 'none' }],
    ['0', { kind: 'none' }],
    ['true', { kind: 'hops', hops: 1 }],
    ['TRUE', { kind: 'hops', hops: 1 }],
    ['2', { kind: 'hops', hops: 2 }],
    ['10.0.0.0/8, 127.0.0.1', { kind: 'networks', networks: ['10.0.0.0/8', '127.0.0.1'] }],
    ['::1,fd00::/8,loopback', { kind: 'networks', networks: ['::1', 'fd00::/8', 'loopback'] }],
  ])('reads TRUST_PROXY=%s', (value, expected) => {
    expect(getEnv({ TRUST_PROXY: value }).TRUST_PROXY).toEqual(expected);
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

  it('stops the server at boot when TRUST_PROXY is not a form it knows, naming the variable', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'start.mjs')], {
      cwd: ROOT,
      env: { ...process.env, TRUST_PROXY: '10.0.0.0/8,proxy.example.com', DATABASE_URL: `file:${tempDbFile()}`, ICE_SSO_SKIP_BUILD: '1' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('TRUST_PROXY="10.0.0.0/8,proxy.example.com"');
    expect(r.stderr).toContain('"proxy.example.com" is not');
  });
});
