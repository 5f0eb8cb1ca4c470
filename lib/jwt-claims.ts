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

/** Whether the token says the user's groups did not fit (`_claim_names.groups` or `hasgroups`). */
export function hasGroupsOverage(claims: Record<string, unknown> | null): boolean {
  if (!claims) return false;
  const names = claims._claim_names;
  if (typeof names === 'object' && names !== null && 'groups' in names) return true;
  return claims.hasgroups === true || claims.hasgroups === 'true';
}
