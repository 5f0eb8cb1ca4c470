import type { DemoApp } from './apps';
import { accessTokenClaims, idTokenClaims } from './claims';
import { clientInfo } from './client-info';
import { userFactsOn } from './facts';
import { NATIVE_REFRESH_LIFETIME_S, SPA_REFRESH_LIFETIME_S } from './grants';
import { GRAPH_APP_ID } from './ids';
import { grantedScopeNames, responseScope } from './scopes';
import type { ScopeRequest } from './scopes';
import { entraHeader, signJwt } from './sign';
import type { EmulatorState } from './state';
import type { DemoUser } from './users';

/** Entra's access and ID tokens live 60 to 90 minutes; the emulator uses the low end, always. */
const TOKEN_LIFETIME_S = 3600;

export interface IssueInput {
  readonly user: DemoUser;
  readonly tenantId: string;
  readonly client: DemoApp;
  readonly scopes: ScopeRequest;
  /** The scope string to remember for refresh tokens. */
  readonly scope: string;
  readonly nonce?: string;
  readonly clientInfo: boolean;
  readonly spa: boolean;
  readonly ipaddr: string;
  /** When the user signed in (a refresh keeps the original sign-in's time); default now. */
  readonly signedInAt?: number;
}

/** The tokens of one successful token request, as the JSON body Entra (and MSAL) use. */
export async function issueTokens(state: EmulatorState, input: IssueInput): Promise<Record<string, unknown>> {
  const { user, tenantId, client, scopes } = input;
  const now = Math.floor(Date.now() / 1000);
  const times = { iat: now, nbf: now, exp: now + TOKEN_LIFETIME_S };
  const key = state.ring.current();
  const { resource } = scopes;
  // The emulated API issues the version its registration accepts; Graph takes v1 tokens.
  const version = resource.kind === 'api' ? state.config.apiTokenVersion : 1;
  const resourceAppId = resource.kind === 'api' ? resource.app.clientId : GRAPH_APP_ID;
  const audience =
    resource.kind === 'graph'
      ? GRAPH_APP_ID
      : version === 2 || resource.requestedAs === 'guid'
        ? resource.app.clientId
        : (resource.app.api?.appIdUri ?? resource.app.clientId);
  const accessToken = await signJwt(
    key,
    entraHeader(version, key.kid),
    accessTokenClaims({
      origin: state.origin,
      user,
      tenantId,
      times,
      version,
      audience,
      resourceAppId,
      clientId: client.clientId,
      facts: userFactsOn(user, resource.kind === 'api' ? resource.app : undefined),
      scopes: grantedScopeNames(scopes),
      ipaddr: input.ipaddr,
    }),
  );
  const body: Record<string, unknown> = {
    token_type: 'Bearer',
    scope: responseScope(scopes),
    expires_in: TOKEN_LIFETIME_S,
    ext_expires_in: TOKEN_LIFETIME_S,
    access_token: accessToken,
  };
  if (scopes.oidc.has('offline_access')) {
    const lifetime = input.spa ? SPA_REFRESH_LIFETIME_S : NATIVE_REFRESH_LIFETIME_S;
    body.refresh_token = state.grants.issueRefreshToken(
      { userKey: user.key, tenantId, clientId: client.clientId, scope: input.scope, spa: input.spa, issuedAt: input.signedInAt },
      lifetime,
    );
    if (input.spa) body.refresh_token_expires_in = lifetime;
  }
  if (scopes.oidc.has('openid')) {
    body.id_token = await signJwt(
      key,
      entraHeader(2, key.kid),
      idTokenClaims({
        origin: state.origin,
        user,
        tenantId,
        times,
        clientId: client.clientId,
        nonce: input.nonce,
        email: scopes.oidc.has('email'),
        facts: userFactsOn(user, client),
      }),
    );
  }
  if (input.clientInfo) body.client_info = clientInfo(user);
  return body;
}
