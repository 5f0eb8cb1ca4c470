import 'server-only';
import crypto from 'node:crypto';
import type { HashTicket } from './hash-pool';

/**
 * scrypt at OWASP's minimum (N=2^17, r=8, p=1): 128 MiB and about 0.4-0.7 s per hash on this
 * machine class, computed in a worker thread (see hash-pool.ts).
 */
export const SCRYPT_PARAMS = { N: 2 ** 17, r: 8, p: 1, keylen: 32 } as const;

/** Stored hashes with parameters outside these bounds are refused rather than computed. */
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;
const MAX_MEMORY = 1024 * 1024 * 1024;

interface ParsedHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

/** scrypt needs about 128·N·r·p bytes; the margin covers its own bookkeeping. */
function maxmemFor(N: number, r: number, p: number): number {
  return 128 * N * r * p + 32 * 1024 * 1024;
}

function format(N: number, r: number, p: number, salt: Buffer, key: Buffer): string {
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/**
 * Stands in for the hash of a user name that does not exist, with the current parameters, so
 * that an unknown name costs as much time as a known one.
 */
export const DUMMY_PASSWORD_HASH = format(SCRYPT_PARAMS.N, SCRYPT_PARAMS.r, SCRYPT_PARAMS.p, Buffer.alloc(16), Buffer.alloc(SCRYPT_PARAMS.keylen));

function parse(stored: string): ParsedHash | null {
  const [scheme, n, r, p, salt, hash, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash || rest.length) return null;
  const N = Number(n);
  const R = Number(r);
  const P = Number(p);
  if (![N, R, P].every(Number.isSafeInteger) || N < 2 || N > MAX_N || (N & (N - 1)) !== 0) return null;
  if (R < 1 || R > MAX_R || P < 1 || P > MAX_P || 128 * N * R * P > MAX_MEMORY) return null;
  const key = Buffer.from(hash, 'base64url');
  if (key.length < 16 || key.length > 64) return null;
  return { N, r: R, p: P, salt: Buffer.from(salt, 'base64url'), hash: key };
}

/** `scrypt$N$r$p$salt$hash` (base64url), with the current parameters. */
export async function hashPassword(password: string, ticket: HashTicket): Promise<string> {
  const { N, r, p, keylen } = SCRYPT_PARAMS;
  const salt = crypto.randomBytes(16);
  const key = await ticket.scrypt({ password: password.normalize('NFKC'), salt, keylen, N, r, p, maxmem: maxmemFor(N, r, p) });
  return format(N, r, p, salt, key);
}

/**
 * Checks a password against a stored hash of any supported parameters. `needsRehash` says the
 * hash is below the current parameters and should be replaced now that the password is known.
 */
export async function verifyPassword(password: string, stored: string, ticket: HashTicket): Promise<{ ok: boolean; needsRehash: boolean }> {
  const parsed = parse(stored);
  // an unreadable stored hash still costs a hash, so that it looks like any other failure
  const h = parsed ?? parse(DUMMY_PASSWORD_HASH)!;
  const actual = await ticket.scrypt({
    password: password.normalize('NFKC'),
    salt: h.salt,
    keylen: h.hash.length,
    N: h.N,
    r: h.r,
    p: h.p,
    maxmem: maxmemFor(h.N, h.r, h.p),
  });
  const ok = parsed !== null && actual.length === h.hash.length && crypto.timingSafeEqual(actual, h.hash);
  const current = h.N === SCRYPT_PARAMS.N && h.r === SCRYPT_PARAMS.r && h.p === SCRYPT_PARAMS.p && h.hash.length === SCRYPT_PARAMS.keylen;
  return { ok, needsRehash: ok && !current };
}

export { passwordProblem } from '@/shared/credential-rules';
