import type { IncomingMessage } from 'node:http';
import { createLocalJWKSet, errors, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';
import { graphAudiences } from './client-credentials';
import { GraphError } from './graph-odata';
import { issuerV1, issuerV2 } from './issuers';
import type { EmulatorState } from './state';
import { tenantById } from './tenants';

/** Who calls Graph: the tenant whose directory it reads and the permissions the token grants. */
export interface GraphCaller {
  readonly tenantId: string;
  /** `roles` of an app-only token, or the `scp` names of a delegated one. */
  readonly permissions: ReadonlySet<string>;
  readonly appOnly: boolean;
}

/** Graph's 401 names the authority MSAL should ask, as `WWW-Authenticate`. */
function unauthenticated(message: string): GraphError {
  return new GraphError(401, 'InvalidAuthenticationToken', message, {
    'WWW-Authenticate':
      'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
  });
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/**
 * Validates the caller's access token as Graph does: signed by the tenant's published keys, for
 * Graph (`aud` = the Graph host, `https://graph.microsoft.com` or Graph's app ID), issued by a
 * known tenant, and current.
 */
export async function authenticateGraphCaller(state: EmulatorState, req: IncomingMessage): Promise<GraphCaller> {
  const token = bearer(req);
  if (!token) throw unauthenticated('Access token is empty.');
  if (token.split('.').length !== 3) throw unauthenticated('IDX14100: JWT is not well formed, there are no dots (.).');
  const keys = createLocalJWKSet({ keys: state.ring.published().map((k) => ({ ...k.publicJwk, kid: k.kid, alg: 'RS256' })) });
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keys, { algorithms: ['RS256'], clockTolerance: 300 }));
  } catch (e) {
    if (e instanceof errors.JWTExpired) throw unauthenticated('Lifetime validation failed, the token is expired.');
    throw unauthenticated('Access token validation failure. Invalid signature.');
  }
  const audiences = graphAudiences(state.origin).map((a) => a.toLowerCase());
  const aud = typeof payload.aud === 'string' ? payload.aud.replace(/\/+$/, '').toLowerCase() : '';
  if (!audiences.includes(aud)) throw unauthenticated('Access token validation failure. Invalid audience.');
  const tenantId = typeof payload.tid === 'string' ? payload.tid : '';
  const issuers = tenantById(tenantId) ? [issuerV1(state.origin, tenantId), issuerV2(state.origin, tenantId)] : [];
  if (!issuers.includes(String(payload.iss))) throw unauthenticated('Access token validation failure. Invalid issuer.');
  const appOnly = payload.idtyp === 'app' || (payload.scp === undefined && Array.isArray(payload.roles));
  const granted = appOnly ? (Array.isArray(payload.roles) ? payload.roles.map(String) : []) : String(payload.scp ?? '').split(' ');
  return { tenantId, permissions: new Set(granted.filter(Boolean)), appOnly };
}

/** 403 unless the caller holds one of `anyOf` (Graph's least-privileged permission first). */
export function requirePermission(caller: GraphCaller, anyOf: readonly string[]): void {
  if (anyOf.some((p) => caller.permissions.has(p))) return;
  throw new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
}

/** Permissions that let an app read group memberships and groups (the first is the least privileged). */
export const MEMBERSHIP_PERMISSIONS = ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'];
/** Permissions that let an app read users' full profiles (`accountEnabled`, `signInSessionsValidFromDateTime`). */
export const USER_PERMISSIONS = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
