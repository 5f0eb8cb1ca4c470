import type { EffectiveSettings } from './derive';

/** The public /sso-meta document, in the key order of docs/contract.md. */
export interface SsoMetaDocument {
  provider: 'azure_ad';
  audience: string;
  authorizationUrl: string;
  tokenUrl: string;
  redirectUrl: string;
  tenantId: string;
  clientId: string;
  openIdConfUrl: string;
  scope: string;
  importUserGroups: boolean;
  domainHint?: string;
}

/** The document /sso-meta publishes for these settings, or null when SSO is off or incomplete. Pure: the console previews with it. */
export function ssoMetaDocument(s: EffectiveSettings): SsoMetaDocument | null {
  if (!s.enabled || !s.complete) return null;
  const document: SsoMetaDocument = {
    provider: 'azure_ad',
    audience: s.audience,
    authorizationUrl: s.authorizationUrl,
    tokenUrl: s.tokenUrl,
    redirectUrl: s.redirectUrl,
    tenantId: s.tenantId,
    clientId: s.clientId,
    openIdConfUrl: s.openIdConfUrl,
    scope: s.scope,
    importUserGroups: s.importUserGroups,
  };
  if (s.domainHint) document.domainHint = s.domainHint;
  return document;
}
