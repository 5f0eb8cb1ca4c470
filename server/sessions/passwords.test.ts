import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '@/test/support/processes';
import { storedScryptHash } from '@/test/support/stored-hash';
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
const legacyHash = (password: string) => storedScryptHash(password, { N: 16384, r: 8, p: 1 });

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

/** A stored hash of `password` with exactly these parameters, under another scheme name or with a field more if asked. */
function storedWith(password: string, o: { scheme?: string; N: number; r: number; p: number; keylen?: number; salt?: Buffer; extra?: string }): string {
  const [, ...fields] = storedScryptHash(password, o).split('$');
  return [o.scheme ?? 'scrypt', ...fields, ...(o.extra === undefined ? [] : [o.extra])].join('$');
}

describe('stored hashes: which parameters are read, and which are re-hashed', () => {
  const PASSWORD = 'the right password 2026';

  // (scrypt itself needs N < 2^(16r): the large N come with r=2.)
  // Each hash below is correct for PASSWORD: only the rule named refuses it (so a rule that stopped
  // holding would let the password in), or nothing does (so a rule that grew would lock it out).
  it.each([
    ['another scheme name', { scheme: 'scryp', N: 2, r: 1, p: 1 }],
    ['a seventh field', { N: 2, r: 1, p: 1, extra: 'more' }],
    ['an empty salt', { N: 2, r: 1, p: 1, salt: Buffer.alloc(0) }],
    ['N above 2^20', { N: 2 ** 21, r: 2, p: 1 }],
    ['r above 32', { N: 2, r: 33, p: 1 }],
    ['p above 16', { N: 2, r: 1, p: 17 }],
    ['a key shorter than 16 bytes', { N: 2, r: 1, p: 1, keylen: 15 }],
    ['a key longer than 64 bytes', { N: 2, r: 1, p: 1, keylen: 65 }],
  ] as const)('refuses a correct hash with %s', async (_, o) => {
    expect(await withTicket((t) => verifyPassword(PASSWORD, storedWith(PASSWORD, o), t))).toEqual({ ok: false, needsRehash: false });
  });

  // Parameters no scrypt can compute: refused before they reach the worker (which would fail the sign-in instead).
  it.each([
    ['N of 1', 'scrypt$1$1$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['N not a power of two', 'scrypt$3$1$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['N not an integer', 'scrypt$2.5$1$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['r of 0', 'scrypt$2$0$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['p of 0', 'scrypt$2$1$0$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
  ])('refuses a stored hash with %s as a wrong password', async (_, stored) => {
    expect(await withTicket((t) => verifyPassword(PASSWORD, stored, t))).toEqual({ ok: false, needsRehash: false });
  });

  it.each([
    ['N=2, the smallest', { N: 2, r: 1, p: 1 }],
    ['N=2^20, the largest', { N: 2 ** 20, r: 2, p: 1 }],
    ['r=1', { N: 4, r: 1, p: 1 }],
    ['r=32, the largest', { N: 2, r: 32, p: 1 }],
    ['p=16, the largest', { N: 2, r: 1, p: 16 }],
    ['a 16-byte key, the shortest', { N: 2, r: 1, p: 1, keylen: 16 }],
    ['a 64-byte key, the longest', { N: 2, r: 1, p: 1, keylen: 64 }],
  ] as const)('accepts a correct hash with %s, and asks for it to be re-hashed', async (_, o) => {
    expect(await withTicket((t) => verifyPassword(PASSWORD, storedWith(PASSWORD, o), t))).toEqual({ ok: true, needsRehash: true });
  });

  // N=2^17 like the current parameters, and one other parameter below or beside them
  it.each([
    ['r=2', { N: 2 ** 17, r: 2, p: 1 }],
    ['p=2', { N: 2 ** 17, r: 8, p: 2 }],
    ['a 16-byte key', { N: 2 ** 17, r: 8, p: 1, keylen: 16 }],
  ] as const)('re-hashes an N=2^17 hash with %s', async (_, o) => {
    expect(await withTicket((t) => verifyPassword(PASSWORD, storedWith(PASSWORD, o), t))).toEqual({ ok: true, needsRehash: true });
  });
});
