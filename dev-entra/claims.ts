import type { JWTPayload } from 'jose';
import { GROUPS_OVERAGE_LIMIT } from './ids';
import { issuerV1, issuerV2 } from './issuers';
import { newAio, newRh, newUti, pairwiseSub } from './opaque';
import type { DemoUser } from './users';
import { signInName } from './users';

export interface TokenTimes {
  readonly iat: number;
  readonly nbf: number;
  readonly exp: number;
}

/** What a token says about the user beyond identity, on one application. */
export interface UserFacts {
  readonly roles: readonly string[];
  /** Group object IDs, or 'overage' to force the distributed-claim form. */
  readonly groups: readonly string[] | 'overage';
  /** Whether the app has the `acct` optional claim (0 member, 1 guest). */
  readonly acct: boolean;
}

interface CommonInput {
  readonly origin: string;
  readonly user: DemoUser;
  /** The issuing tenant (`tid`): the user's directory, or another one for cross-tenant tests. */
  readonly tenantId: string;
  readonly times: TokenTimes;
  readonly facts: UserFacts;
}

export interface AccessClaimsInput extends CommonInput {
  readonly version: 1 | 2;
  readonly audience: string;
  /** The resource application, the key of the pairwise `sub`. */
  readonly resourceAppId: string;
  /** The client the token was issued to (`appid` in v1, `azp` in v2). */
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly ipaddr: string;
}

export interface IdClaimsInput extends CommonInput {
  readonly clientId: string;
  readonly nonce?: string;
  readonly email: boolean;
}

/**
 * Above 200 groups Entra drops `groups` for a pointer to Graph. v1 tokens point to Azure AD
 * Graph (the access token reference notes it), v2 tokens to Microsoft Graph's getMemberObjects.
 */
function groupClaims(version: 1 | 2, user: DemoUser, tenantId: string, groups: UserFacts['groups']): JWTPayload {
  if (groups !== 'overage' && groups.length <= GROUPS_OVERAGE_LIMIT) {
    return groups.length > 0 ? { groups: [...groups] } : {};
  }
  const endpoint =
    version === 1
      ? `https://graph.windows.net/${tenantId}/users/${user.oid}/getMemberObjects`
      : `https://graph.microsoft.com/v1.0/users/${user.oid}/getMemberObjects`;
  return { _claim_names: { groups: 'src1' }, _claim_sources: { src1: { endpoint } } };
}

function optional(name: string, value: unknown): JWTPayload {
  if (value === undefined) return {};
  if (Array.isArray(value) && value.length === 0) return {};
  return { [name]: value };
}

/** A guest is authenticated by their home tenant: `idp` names its (v1) issuer, as Entra does. */
function idpOf(origin: string, user: DemoUser): string | undefined {
  return user.home ? issuerV1(origin, user.home.tenantId) : undefined;
}

function acctOf(input: CommonInput): number | undefined {
  return input.facts.acct ? (input.user.home ? 1 : 0) : undefined;
}

/** Claims of an access token, in Entra's order, for the v1 or v2 format the resource accepts. */
export function accessTokenClaims(input: AccessClaimsInput): JWTPayload {
  const { origin, user, tenantId, times, facts } = input;
  const scp = input.scopes.length > 0 ? input.scopes.join(' ') : undefined;
  const sub = pairwiseSub(user.oid, input.resourceAppId);
  if (input.version === 1) {
    return {
      aud: input.audience,
      iss: issuerV1(origin, tenantId),
      ...times,
      ...optional('acct', acctOf(input)),
      acr: '1',
      aio: newAio(),
      amr: [...user.amr],
      appid: input.clientId,
      appidacr: '0',
      // v1 tokens carry a guest's mail by default; members need the optional claim.
      ...optional('email', user.home ? user.mail : undefined),
      family_name: user.surname,
      given_name: user.givenName,
      ...groupClaims(1, user, tenantId, facts.groups),
      ...optional('idp', idpOf(origin, user)),
      ipaddr: input.ipaddr,
      name: user.displayName,
      oid: user.oid,
      ...optional('onprem_sid', user.onPremSid),
      rh: newRh(),
      ...optional('roles', [...facts.roles]),
      ...optional('scp', scp),
      sub,
      tid: tenantId,
      unique_name: signInName(user),
      ...optional('upn', user.home ? undefined : user.upn),
      uti: newUti(),
      ver: '1.0',
    };
  }
  return {
    aud: input.audience,
    iss: issuerV2(origin, tenantId),
    ...times,
    ...optional('acct', acctOf(input)),
    aio: newAio(),
    azp: input.clientId,
    azpacr: '0',
    ...groupClaims(2, user, tenantId, facts.groups),
    ...optional('idp', idpOf(origin, user)),
    name: user.displayName,
    oid: user.oid,
    preferred_username: signInName(user),
    rh: newRh(),
    ...optional('roles', [...facts.roles]),
    ...optional('scp', scp),
    sub,
    tid: tenantId,
    uti: newUti(),
    ver: '2.0',
  };
}

/** Claims of a v2 ID token for `clientId` (the audience is the client itself). */
export function idTokenClaims(input: IdClaimsInput): JWTPayload {
  const { origin, user, tenantId, times, facts } = input;
  return {
    aud: input.clientId,
    iss: issuerV2(origin, tenantId),
    ...times,
    ...optional('acct', acctOf(input)),
    aio: newAio(),
    ...optional('email', input.email ? user.mail : undefined),
    ...groupClaims(2, user, tenantId, facts.groups),
    ...optional('idp', idpOf(origin, user)),
    name: user.displayName,
    ...optional('nonce', input.nonce),
    oid: user.oid,
    preferred_username: signInName(user),
    rh: newRh(),
    ...optional('roles', [...facts.roles]),
    sub: pairwiseSub(user.oid, input.clientId),
    tid: tenantId,
    uti: newUti(),
    ver: '2.0',
  };
}
