import crypto from 'node:crypto';

/**
 * A stored password hash as server/sessions/passwords.ts writes it (`scrypt$N$r$p$salt$key`,
 * base64url), computed here with the given parameters and without the pool: for seeding an
 * admin at a cost other than the current one, or a hash the verifier must refuse.
 */
export function storedScryptHash(password: string, o: { N: number; r: number; p: number; keylen?: number; salt?: Buffer }): string {
  const salt = o.salt ?? crypto.randomBytes(16);
  const key = crypto.scryptSync(password.normalize('NFKC'), salt, o.keylen ?? 32, { N: o.N, r: o.r, p: o.p, maxmem: 128 * o.N * o.r * o.p + 32 * 1024 * 1024 });
  return ['scrypt', o.N, o.r, o.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}
