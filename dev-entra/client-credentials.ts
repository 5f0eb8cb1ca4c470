import { secretMatches } from './app-registry';
import { verifyClientAssertion, JWT_BEARER_ASSERTION } from './client-assertion';
import { entraError } from './errors';
import type { EntraError } from './errors';
import { GRAPH_APP_ID } from './ids';
import { issuerV1 } from './issuers';
import { newAio, newRh, newUti } from './opaque';
import { entraHeader, signJwt } from './sign';
import type { EmulatorState } from './state';
import type { GrantResult, TokenRequest } from './token-grants';

/** The public Microsoft Graph resource; the emulator's own origin stands for it in a custom cloud. */
export const MICROSOFT_GRAPH_RESOURCE = 'https://graph.microsoft.com';

export type ClientAuthMethod = 'client_secret' | 'private_key_jwt';

const fail = (error: string, code: number, description: string): GrantResult => ({ ok: false, error: entraError(error, code, description) });

function trimSlash(value: string): string {
  return value.replace(/\/+$/, '');
}

/**
 * The audiences a Graph token may carry: the emulator's origin (the custom cloud's Graph host),
 * Microsoft's Graph URI, or Graph's application ID, each as requested.
 */
export function graphAudiences(origin: string): string[] {
  return [origin, MICROSOFT_GRAPH_RESOURCE, GRAPH_APP_ID];
}

/** The resource of a client-credentials `scope`: exactly one `<resource>/.default`. */
function resourceOf(state: EmulatorState, scope: string): { audience: string } | EntraError {
  const values = scope.split(/\s+/).filter(Boolean);
  const [only] = values;
  if (values.length !== 1 || only === undefined || !only.toLowerCase().endsWith('/.default')) {
    return entraError(
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  }
  const resource = trimSlash(only.slice(0, -'/.default'.length));
  const audience = graphAudiences(state.origin).find((a) => a.toLowerCase() === resource.toLowerCase());
  if (audience === undefined) {
    return entraError(
      'invalid_resource',
      500011,
      `The resource principal named ${resource} was not found in the tenant. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
    );
  }
  return { audience };
}

/** Authenticates a confidential client with a secret (post or basic) or a certificate assertion. */
async function authenticate(state: EmulatorState, request: TokenRequest): Promise<ClientAuthMethod | EntraError> {
  const { form, client } = request;
  const secret = form.get('client_secret') ?? request.basicSecret;
  const assertion = form.get('client_assertion');
  const assertionType = form.get('client_assertion_type');
  if (!state.apps.isConfidential(client.clientId)) {
    if (secret !== undefined && secret !== null)
      return entraError('invalid_client', 700025, "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.");
    if (assertion !== null)
      return entraError('invalid_client', 700025, "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.");
  }
  if ((secret ?? null) !== null && assertion !== null) {
    return entraError('invalid_request', 90015, "Only one client credential may be presented: 'client_secret' or 'client_assertion'.");
  }
  if (assertion !== null) {
    if (assertionType !== JWT_BEARER_ASSERTION) {
      return entraError('invalid_request', 7000217, `The 'client_assertion_type' must be '${JWT_BEARER_ASSERTION}'.`);
    }
    if (request.tenant.kind !== 'tenant')
      return entraError('invalid_request', 50059, 'No tenant-identifying information found in either the request or implied by any provided credentials.');
    const error = await verifyClientAssertion(state, assertion, client, request.tenant.tenant, request.tenant.segment);
    return error ?? 'private_key_jwt';
  }
  if (secret !== undefined && secret !== null) {
    const match = state.apps.settings(client.clientId).secrets.find((s) => secretMatches(secret, s.secretText));
    if (!match) {
      return entraError(
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${client.clientId}'.`,
      );
    }
    if (Date.parse(match.endDateTime) <= Date.now()) {
      return entraError(
        'invalid_client',
        7000222,
        `The provided client secret keys for app '${client.clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
      );
    }
    return 'client_secret';
  }
  return entraError('invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
}

/**
 * `grant_type=client_credentials`: an app-only v1 access token for Microsoft Graph whose `roles`
 * are the app's granted application permissions, `idtyp: "app"`, and `oid` = `sub` = the
 * service principal. Errors as Entra: `invalid_client` (401) for credentials, `invalid_scope`,
 * `unauthorized_client` for a disabled service principal.
 */
export async function clientCredentialsGrant(state: EmulatorState, request: TokenRequest): Promise<GrantResult> {
  const { client, tenant } = request;
  if (tenant.kind !== 'tenant') {
    return fail('invalid_request', 50059, 'No tenant-identifying information found in either the request or implied by any provided credentials.');
  }
  const tenantId = tenant.tenant.id;
  const method = await authenticate(state, request);
  if (typeof method !== 'string') return { ok: false, error: method };
  const settings = state.apps.settings(client.clientId);
  if (!settings.enabled) return fail('unauthorized_client', 7000112, `Application '${client.clientId}'(${client.displayName}) is disabled.`);
  const scope = request.form.get('scope');
  if (!scope) return fail('invalid_request', 900144, "The request body must contain the following parameter: 'scope'.");
  const resource = resourceOf(state, scope);
  if ('error' in resource) return { ok: false, error: resource };
  const servicePrincipal = state.apps.servicePrincipalId(tenantId);
  const now = Math.floor(Date.now() / 1000);
  const lifetime = settings.accessTokenLifetimeSeconds;
  const key = state.ring.current();
  const roles = [...settings.applicationPermissions];
  const accessToken = await signJwt(key, entraHeader(1, key.kid), {
    aud: resource.audience,
    iss: issuerV1(state.origin, tenantId),
    iat: now,
    nbf: now,
    exp: now + lifetime,
    aio: newAio(),
    app_displayname: client.displayName,
    appid: client.clientId,
    // 1: a client secret; 2: a certificate (Entra's appidacr values).
    appidacr: method === 'client_secret' ? '1' : '2',
    idp: issuerV1(state.origin, tenantId),
    idtyp: 'app',
    oid: servicePrincipal,
    rh: newRh(),
    ...(roles.length > 0 ? { roles } : {}),
    sub: servicePrincipal,
    tid: tenantId,
    uti: newUti(),
    ver: '1.0',
  });
  return {
    ok: true,
    kind: `client_credentials:${method}`,
    body: { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken },
  };
}
