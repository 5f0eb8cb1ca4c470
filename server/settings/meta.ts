import 'server-only';
import crypto from 'node:crypto';
import type { EffectiveSettings } from './derive';
import { ssoMetaDocument, type SsoMetaDocument } from './document';

/** What GET /sso-meta serves, prepared once per settings version. */
export interface SsoMeta {
  status: 200 | 404;
  document: SsoMetaDocument | null;
  body: string;
  etag: string;
}

export const SSO_NOT_CONFIGURED_BODY = '{"error":"sso_not_configured"}';

export function buildSsoMeta(s: EffectiveSettings): SsoMeta {
  const document = ssoMetaDocument(s);
  const body = document ? JSON.stringify(document) : SSO_NOT_CONFIGURED_BODY;
  return { status: document ? 200 : 404, document, body, etag: etagOf(body) };
}

function etagOf(body: string): string {
  return `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}
