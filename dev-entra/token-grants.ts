import { createHash } from 'node:crypto';
import { base64url } from 'jose';
import type { DemoApp } from './apps';
import { entraError } from './errors';
import type { EntraError } from './errors';
import type { SignInGrant } from './grants';
import { issueTokens } from './issue';
import { isScopeError, parseScopes } from './scopes';
import type { EmulatorState } from './state';
import type { TenantScope } from './tenants';
import { userByKey } from './users';

/** One parsed token request: its form, the client, and facts about the connection. */
export interface TokenRequest {
  readonly form: URLSearchParams;
  readonly client: DemoApp;
  readonly tenant: TenantScope;
  /** The request came from a browser on another origin (it carries `Origin`). */
  readonly crossOrigin: boolean;
  readonly ipaddr: string;
  /** The secret of an `Authorization: Basic` header (client_secret_basic), if any. */
  readonly basicSecret?: string;
}

export type GrantResult =
  | { readonly ok: true; readonly body: Record<string, unknown>; /** Counter key; default the grant type. */ readonly kind?: string }
  | { readonly ok: false; readonly error: EntraError };

const fail = (error: string, code: number, description: string): GrantResult => ({ ok: false, error: entraError(error, code, description) });
const missing = (name: string): GrantResult => fail('invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`);
const SPA_SAME_ORIGIN = fail(
  'invalid_request',
  9002327,
  "Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests.",
);

function pkceMatches(verifier: string, challenge: string): boolean {
  return base64url.encode(createHash('sha256').update(verifier).digest()) === challenge;
}

/** Checks shared by both grants, then issues: same client, same tenant, the user still exists. */
async function redeem(state: EmulatorState, request: TokenRequest, grant: SignInGrant, scope: string, nonce?: string): Promise<GrantResult> {
  if (grant.clientId !== request.client.clientId) return fail('invalid_grant', 70000, 'Provided grant is invalid or malformed.');
  if (request.tenant.kind === 'tenant' && request.tenant.tenant.id !== grant.tenantId) {
    return fail('invalid_grant', 700005, 'Provided Authorization Code is intended to use against other tenant, thus rejected.');
  }
  if (grant.spa && !request.crossOrigin) return SPA_SAME_ORIGIN;
  const known = userByKey(grant.userKey);
  if (!known) return fail('invalid_grant', 50034, 'The user account does not exist in the directory.');
  const record = state.directory.record(known);
  if (!record.accountEnabled) return fail('invalid_grant', 50057, 'The user account is disabled.');
  const validFrom = Date.parse(record.signInSessionsValidFromDateTime);
  if ('issuedAt' in grant && typeof grant.issuedAt === 'number' && grant.issuedAt < validFrom) {
    return fail(
      'invalid_grant',
      50173,
      `The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '${new Date(grant.issuedAt).toISOString()}' and the TokensValidFrom date (before which tokens are not valid) for this user is '${record.signInSessionsValidFromDateTime}'.`,
    );
  }
  // Tokens carry the memberships the directory has now, as a fresh sign-in in Entra would.
  const user = state.directory.live(known);
  const scopes = parseScopes(scope);
  if (isScopeError(scopes)) return fail(scopes.error, scopes.code, scopes.description);
  const body = await issueTokens(state, {
    user,
    tenantId: grant.tenantId,
    client: request.client,
    scopes,
    scope,
    nonce,
    clientInfo: request.form.get('client_info') === '1',
    spa: grant.spa,
    ipaddr: request.ipaddr,
    signedInAt: 'issuedAt' in grant && typeof grant.issuedAt === 'number' ? grant.issuedAt : undefined,
  });
  return { ok: true, body };
}

/** `grant_type=authorization_code`: single-use, 5-minute codes, PKCE S256, same redirect URI. */
export async function authorizationCodeGrant(state: EmulatorState, request: TokenRequest): Promise<GrantResult> {
  const code = request.form.get('code');
  if (!code) return missing('code');
  const lookup = state.grants.redeemCode(code);
  if (lookup.status === 'unknown') return fail('invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
  if (lookup.status === 'redeemed') {
    return fail('invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.');
  }
  if (lookup.status === 'expired') return fail('invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity.');
  const { grant } = lookup;
  const redirectUri = request.form.get('redirect_uri');
  if (!redirectUri) return missing('redirect_uri');
  if (redirectUri !== grant.redirectUri) {
    return fail('invalid_grant', 50011, `The redirect URI '${redirectUri}' does not match the redirect URI used to request the authorization code.`);
  }
  if (grant.codeChallenge !== undefined) {
    const verifier = request.form.get('code_verifier');
    if (!verifier) return missing('code_verifier');
    if (!pkceMatches(verifier, grant.codeChallenge)) {
      return fail('invalid_grant', 501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.');
    }
  }
  return redeem(state, request, grant, request.form.get('scope') ?? grant.scope, grant.nonce);
}

/** `grant_type=refresh_token`: Entra refresh tokens serve any resource the client may call, and rotate. */
export async function refreshTokenGrant(state: EmulatorState, request: TokenRequest): Promise<GrantResult> {
  const token = request.form.get('refresh_token');
  if (!token) return missing('refresh_token');
  const scope = request.form.get('scope');
  if (!scope) return missing('scope');
  const grant = state.grants.findRefreshToken(token);
  if (!grant) return fail('invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
  if (grant.expiresAt < Date.now()) {
    return grant.spa
      ? fail(
          'invalid_grant',
          700084,
          'The refresh token was issued to a single page app (SPA), and therefore has a fixed, limited lifetime of 1.00:00:00, which cannot be extended.',
        )
      : fail('invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity.');
  }
  return redeem(state, request, grant, scope);
}
