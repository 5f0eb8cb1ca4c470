/**
 * The emulator's stand-ins for Entra's issuers. Real Entra issues v2 tokens as
 * `https://login.microsoftonline.com/<tid>/v2.0` and v1 tokens as `https://sts.windows.net/<tid>/`;
 * here both live on the emulator's own origin so that one host serves everything.
 */
export function issuerV2(origin: string, tenantId: string): string {
  return `${origin}/${tenantId}/v2.0`;
}

export function issuerV1(origin: string, tenantId: string): string {
  return `${origin}/${tenantId}/`;
}

export function issuerFor(version: 1 | 2, origin: string, tenantId: string): string {
  return version === 1 ? issuerV1(origin, tenantId) : issuerV2(origin, tenantId);
}

/** The literal placeholder Entra puts in multi-tenant issuers and key `issuer` templates. */
export const TENANT_PLACEHOLDER = '{tenantid}';
