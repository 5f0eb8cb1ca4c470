import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '@/test/support/processes';
import { PasswordHashBusyError, PasswordHashPool } from './hash-pool';
import { DUMMY_PASSWORD_HASH, hashPassword, SCRYPT_PARAMS, verifyPassword } from './passwords';

const pool = new PasswordHashPool({ threads: 1, maxWaiting: 8, jobTimeoutMs: 30_000 });
afterAll(() => pool.close());

async function withTicket<T>(fn: (t: ReturnType<PasswordHashPool['admit']>) => Promise<T>): Promise<T> {
  const ticket = pool.admit();
  try {
    return await fn(ticket);
  } finally {
    ticket.release();
  }
}

/** A hash as the first release stored it: scrypt N=2^14, computed here without the pool. */
function legacyHash(password: string): string {
  const salt = crypto.randomBytes(16);
  const key = crypto.scryptSync(password.normalize('NFKC'), salt, 32, { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return ['scrypt', 16384, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$');
}

describe('password hashing', () => {
  it('stores scrypt with N=2^17, r=8, p=1 and verifies it', async () => {
    const stored = await withTicket((t) => hashPassword('correct horse battery staple', t));
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await withTicket((t) => verifyPassword('correct horse battery staple', stored, t))).toEqual({ ok: true, needsRehash: false });
    expect(await withTicket((t) => verifyPassword('correct horse battery stapler', stored, t))).toEqual({ ok: false, needsRehash: false });
  });

  it('still verifies an N=2^14 hash and asks for it to be re-hashed, only when the password is right', async () => {
    const old = legacyHash('an older password 2025');
    expect(await withTicket((t) => verifyPassword('an older password 2025', old, t))).toEqual({ ok: true, needsRehash: true });
    expect(await withTicket((t) => verifyPassword('not the older password', old, t))).toEqual({ ok: false, needsRehash: false });
  });

  it('stands in for unknown users with a hash of the current parameters', () => {
    const [, n, r, p] = DUMMY_PASSWORD_HASH.split('$');
    expect([Number(n), Number(r), Number(p)]).toEqual([SCRYPT_PARAMS.N, SCRYPT_PARAMS.r, SCRYPT_PARAMS.p]);
  });

  it('refuses stored hashes with absurd parameters instead of computing them', async () => {
    const before = pool.completed;
    for (const bad of [
      'scrypt$1073741824$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      'scrypt$1000$8$1$AAAA$AAAA',
      'bcrypt$2b$10$x',
      '',
    ]) {
      expect(await withTicket((t) => verifyPassword('whatever password', bad, t))).toEqual({ ok: false, needsRehash: false });
    }
    // each still cost one hash with the current parameters, like any other failure
    expect(pool.completed - before).toBe(4);
  });

  it('runs off libuv’s thread pool: a WebCrypto RSA verify answers while four hashes are queued', async () => {
    const { publicKey, privateKey } = await crypto.subtle.generateKey(
      { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      true,
      ['sign', 'verify'],
    );
    const data = new TextEncoder().encode('a token');
    const signature = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', privateKey, data);
    const before = pool.completed;
    const hashes = Array.from({ length: 4 }, () => withTicket((t) => hashPassword('queued password 1234', t)));
    const started = Date.now();
    expect(await crypto.subtle.verify('RSASSA-PKCS1-v1_5', publicKey, signature, data)).toBe(true);
    const verifyMs = Date.now() - started;
    // with scrypt on libuv's four threads the verify would wait for a whole hash (~0.5 s) first
    expect(pool.completed - before).toBe(0);
    expect(verifyMs).toBeLessThan(300);
    await Promise.all(hashes);
  });

  it('refuses at once, with a Retry-After, past its threads and waiting places', () => {
    const small = new PasswordHashPool({ threads: 1, maxWaiting: 1, jobTimeoutMs: 1000 });
    const a = small.admit();
    const b = small.admit();
    let refused: unknown;
    try {
      small.admit();
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(PasswordHashBusyError);
    expect((refused as PasswordHashBusyError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    // a proven setup link still gets a place
    const setup = small.admit({ beyondBound: true });
    expect(small.inUse).toBe(3);
    a.release();
    a.release();
    setup.release();
    expect(small.inUse).toBe(1);
    expect(() => small.admit()).not.toThrow();
    b.release();
  });

  it('loads its worker under plain node with the project’s preload (as the CLI and custom server run)', () => {
    const script = [
      "const { PasswordHashPool } = require('./server/sessions/hash-pool.ts');",
      "const { hashPassword } = require('./server/sessions/passwords.ts');",
      'const pool = new PasswordHashPool(); const t = pool.admit();',
      'hashPassword("plain node password", t).then((h) => { console.log(h.split("$").slice(0, 4).join("$")); return pool.close(); });',
    ].join('\n');
    const r = spawnSync(process.execPath, ['--require', path.join(ROOT, 'scripts', 'preload.cjs'), '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, LOG_LEVEL: 'silent' },
      timeout: 60_000,
    });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('scrypt$131072$8$1');
  });
});
