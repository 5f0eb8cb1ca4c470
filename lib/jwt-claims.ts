import { decodeJwt } from 'jose';

/**
 * Reads the claims of a token this browser already holds, for display only (the server
 * validates; nothing here is trusted). Returns null when the token is not a JWT.
 */
export function readClaims(token: string): Record<string, unknown> | null {
  try {
    return decodeJwt(token) as Record<string, unknown>;
  } catch {
    return null;
  }
}

export function amrOf(claims: Record<string, unknown> | null): string[] | null {
  const amr = claims?.amr;
  return Array.isArray(amr) ? amr.filter((x): x is string => typeof x === 'string') : null;
}
