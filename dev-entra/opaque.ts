import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { base64url } from 'jose';

/** Opaque values Entra puts in tokens and responses. Only their shape matters to consumers. */

/** `uti`: a unique token identifier, 22 base64url characters like Entra's. */
export function newUti(): string {
  return base64url.encode(randomBytes(16));
}

/** `rh` and `aio`: internal Entra state, meaningless outside it. */
export function newRh(): string {
  return `0.A${base64url.encode(randomBytes(45))}`;
}

export function newAio(): string {
  return base64url.encode(randomBytes(60));
}

/** `sub` is pairwise: stable for one user and one application, different across applications. */
export function pairwiseSub(oid: string, appId: string): string {
  return base64url.encode(createHash('sha256').update(`${oid}|${appId.toLowerCase()}`).digest());
}

/** Authorization codes and refresh tokens: long random strings with Entra's `1.A`/`0.A` look. */
export function newCode(): string {
  return `1.A${base64url.encode(randomBytes(60))}`;
}

export function newRefreshToken(): string {
  return `0.A${base64url.encode(randomBytes(96))}`;
}

export function newGuid(): string {
  return randomUUID();
}
