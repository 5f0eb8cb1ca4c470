import { TENANT_PLACEHOLDER, issuerV1, issuerV2 } from './issuers';
import { endpointSegment } from './tenants';
import type { TenantScope } from './tenants';

/** Members of Entra's documents that describe the Microsoft cloud rather than the tenant. */
const CLOUD_FIELDS = {
  cloud_instance_name: 'microsoftonline.com',
  cloud_graph_host_name: 'graph.windows.net',
  msgraph_host: 'graph.microsoft.com',
  rbac_url: 'https://pas.windows.net',
};

const AUTH_METHODS = ['client_secret_post', 'private_key_jwt', 'client_secret_basic'];

/** Multi-tenant aliases publish the `{tenantid}` template as issuer, a tenant its own GUID. */
function issuerTenant(scope: TenantScope): string {
  return scope.kind === 'tenant' ? scope.tenant.id : TENANT_PLACEHOLDER;
}

/** `GET /<tenant>/v2.0/.well-known/openid-configuration`, member for member like Entra's. */
export function openIdConfigurationV2(origin: string, scope: TenantScope): Record<string, unknown> {
  const base = `${origin}/${endpointSegment(scope)}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: AUTH_METHODS,
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: issuerV2(origin, issuerTenant(scope)),
    request_uri_parameter_supported: false,
    userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: [
      'sub',
      'iss',
      'cloud_instance_name',
      'cloud_instance_host_name',
      'cloud_graph_host_name',
      'msgraph_host',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'at_hash',
      'c_hash',
      'email',
    ],
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: scope.kind === 'tenant' ? 'EU' : null,
    ...CLOUD_FIELDS,
  };
}

/** `GET /<tenant>/.well-known/openid-configuration`: the v1 document, whose key set is the common one. */
export function openIdConfigurationV1(origin: string, scope: TenantScope): Record<string, unknown> {
  const base = `${origin}/${endpointSegment(scope)}`;
  return {
    token_endpoint: `${base}/oauth2/token`,
    token_endpoint_auth_methods_supported: AUTH_METHODS,
    jwks_uri: `${origin}/common/discovery/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'token id_token', 'token'],
    scopes_supported: ['openid'],
    issuer: issuerV1(origin, issuerTenant(scope)),
    microsoft_multi_refresh_token: true,
    authorization_endpoint: `${base}/oauth2/authorize`,
    device_authorization_endpoint: `${base}/oauth2/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/logout`,
    claims_supported: [
      'sub',
      'iss',
      'cloud_instance_name',
      'cloud_instance_host_name',
      'cloud_graph_host_name',
      'msgraph_host',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'amr',
      'nonce',
      'email',
      'given_name',
      'family_name',
      'nickname',
    ],
    check_session_iframe: `${base}/oauth2/checksession`,
    userinfo_endpoint: `${base}/openid/userinfo`,
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: scope.kind === 'tenant' ? 'EU' : null,
    ...CLOUD_FIELDS,
  };
}
