import { SignJWT } from 'jose';
import type { JWTHeaderParameters, JWTPayload } from 'jose';
import type { SigningKey } from './keys';

/**
 * Entra's JWT header: `typ`, `alg`, then `x5t` (v1 tokens only, a legacy duplicate of `kid`)
 * and `kid`.
 */
export function entraHeader(version: 1 | 2, kid: string): JWTHeaderParameters {
  return version === 1 ? { typ: 'JWT', alg: 'RS256', x5t: kid, kid } : { typ: 'JWT', alg: 'RS256', kid };
}

/** Names listed in a `crit` header, so jose signs such (test) headers instead of refusing them. */
export function critOption(header: Record<string, unknown>): Record<string, boolean> | undefined {
  const crit = header.crit;
  if (!Array.isArray(crit)) return undefined;
  return Object.fromEntries(crit.filter((c): c is string => typeof c === 'string').map((c) => [c, true]));
}

export async function signJwt(key: SigningKey, header: JWTHeaderParameters, payload: JWTPayload): Promise<string> {
  const crit = critOption(header);
  return new SignJWT(payload).setProtectedHeader(header).sign(key.privateKey, crit ? { crit } : undefined);
}
