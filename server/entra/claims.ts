import 'server-only';
import type { JWTPayload } from 'jose';

/** What a validated (or, for history rows of refusals, merely decoded) token says about its subject. */
export interface TokenSubject {
  tenantId: string | null;
  objectId: string | null;
  displayName: string | null;
  email: string | null;
  /** preferred_username (v2) or upn / unique_name (v1): display data, never an identifier. */
  username: string | null;
  clientAppId: string | null;
  tokenVersion: '1.0' | '2.0' | null;
  amr: string[] | null;
  uti: string | null;
  scopes: string[];
  roles: string[];
  /** Group object IDs, or 'overage' when the token points to Graph instead (over 200 groups). */
  groups: string[] | 'overage' | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const strings = (v: unknown): string[] | null => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : null);

/** Maps Entra v1/v2 access-token claims to the subject's profile. */
export function subjectOf(claims: JWTPayload): TokenSubject {
  const c = claims as Record<string, unknown>;
  const ver = str(c.ver);
  const claimNames = c._claim_names as Record<string, unknown> | undefined;
  // over 200 groups (150 in SAML, 6 in implicit-flow tokens) Entra sends _claim_names.groups or hasgroups instead
  const overage = !Array.isArray(c.groups) && ((claimNames !== null && typeof claimNames === 'object' && 'groups' in claimNames) || c.hasgroups === true);
  const username = str(c.preferred_username) ?? str(c.upn) ?? str(c.unique_name);
  return {
    tenantId: str(c.tid),
    objectId: str(c.oid),
    displayName: str(c.name),
    email: emailOf(c),
    username,
    clientAppId: str(c.azp) ?? str(c.appid),
    tokenVersion: ver === '1.0' || ver === '2.0' ? ver : null,
    amr: strings(c.amr),
    uti: str(c.uti),
    scopes: (str(c.scp) ?? '').split(' ').filter(Boolean),
    roles: strings(c.roles) ?? [],
    groups: overage ? 'overage' : strings(c.groups),
  };
}

/**
 * The e-mail address shown for a user: a verified address first (`email` with `xms_edov`,
 * "email domain owner verified"), then the tenant-issued `upn`, then an unverified `email`,
 * then `preferred_username`. Display data only: users are identified by (tid, oid).
 */
function emailOf(c: Record<string, unknown>): string | null {
  const email = str(c.email);
  if (email && (c.xms_edov === true || c.xms_edov === 'true' || c.xms_edov === '1')) return email;
  return str(c.upn) ?? email ?? str(c.preferred_username);
}

/** Claims kept on the user's profile: everything but signatures' material and one-time values. */
const SNAPSHOT_EXCLUDED = new Set(['aio', 'rh', 'uti', 'nonce', 'at_hash', 'c_hash', 'xms_st', 'xms_tcdt', 'xms_ftd', 'sid', 'ipaddr']);

export function claimSnapshot(claims: JWTPayload): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(claims)) {
    if (SNAPSHOT_EXCLUDED.has(k)) continue;
    // group lists can be long; the memberships table has them
    out[k] = k === 'groups' && Array.isArray(v) ? `${v.length} groups` : v;
  }
  return out;
}
