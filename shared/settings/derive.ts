import { cloudAuthorityHosts, cloudGraphHosts, DEFAULT_SCOPE_NAME, derivedKeys, type DerivedKey } from './fields';
import type { SettingsDocument } from './schema';
import type { EffectiveSettings } from './shapes';

/** Settings with every derived value filled in (see {@link effectiveSettingsSchema}). */
export type { EffectiveSettings } from './shapes';

/** Derived default of each derivable field, given the rest of the document. */
export function derivedDefaults(doc: SettingsDocument): Record<DerivedKey, string | string[]> {
  const host = doc.authorityHost ?? (doc.cloud === 'custom' ? '' : cloudAuthorityHosts[doc.cloud]);
  const tenantPath = host && doc.tenantId ? `${host}/${doc.tenantId}` : '';
  const audience = doc.audience ?? (doc.clientId ? `api://${doc.clientId}` : '');
  return {
    authorityHost: doc.cloud === 'custom' ? '' : cloudAuthorityHosts[doc.cloud],
    audience: doc.clientId ? `api://${doc.clientId}` : '',
    scope: audience ? `${audience}/${DEFAULT_SCOPE_NAME}` : '',
    redirectUrl: host ? `${host}/common/oauth2/nativeclient` : '',
    authorizationUrl: tenantPath ? `${tenantPath}/oauth2/v2.0/authorize` : '',
    tokenUrl: tenantPath ? `${tenantPath}/oauth2/v2.0/token` : '',
    openIdConfUrl: tenantPath ? `${tenantPath}/v2.0/.well-known/openid-configuration` : '',
    allowedClientIds: doc.clientId ? [doc.clientId] : [],
    graphHost: doc.cloud === 'custom' ? '' : cloudGraphHosts[doc.cloud],
  };
}

/** Fills derived values in; pure, also used by the console's live preview. */
export function resolveSettings(doc: SettingsDocument): EffectiveSettings {
  const defaults = derivedDefaults(doc);
  const pick = <K extends DerivedKey>(key: K) => (doc[key] ?? defaults[key]) as EffectiveSettings[K];
  const authorityHost = pick('authorityHost');
  const audience = pick('audience');
  const scope = pick('scope');
  const prefix = `${audience}/`;
  return {
    ...doc,
    authorityHost,
    audience,
    scope,
    redirectUrl: pick('redirectUrl'),
    authorizationUrl: pick('authorizationUrl'),
    tokenUrl: pick('tokenUrl'),
    openIdConfUrl: pick('openIdConfUrl'),
    allowedClientIds: pick('allowedClientIds'),
    graphHost: pick('graphHost'),
    scopeName: scope.startsWith(prefix) ? scope.slice(prefix.length) : scope,
    v1OpenIdConfUrl: authorityHost && doc.tenantId ? `${authorityHost}/${doc.tenantId}/.well-known/openid-configuration` : '',
    derived: derivedKeys.filter((k) => doc[k] === null),
    complete: Boolean(doc.tenantId && doc.clientId && authorityHost),
  };
}
