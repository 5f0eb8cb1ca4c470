import 'server-only';
import type { JWTPayload } from 'jose';
import type { EffectiveSettings } from '@/server/settings/derive';
import type { ReasonCode } from '@/shared/login-reasons';
import type { SigningKey, SigningMaterial } from './metadata';
import { subjectOf } from './claims';

/** One rule's verdict on a token's claims, with the fix in plain words when it fails. */
export interface Verdict {
  rule: 'claims' | 'tenant' | 'issuer' | 'key_issuer' | 'audience' | 'scope' | 'client' | 'replay' | 'user' | 'groups';
  label: string;
  ok: boolean;
  reason?: ReasonCode;
  detail: string;
  fix?: string;
}

/**
 * The claim rules of docs/contract.md, in the order the validator applies them. Shared by the
 * validator (which stops at the first failure) and the token doctor (which shows them all).
 */
export function claimVerdicts(claims: JWTPayload, material: SigningMaterial, key: SigningKey | null, s: EffectiveSettings): Verdict[] {
  const sub = subjectOf(claims);
  const out: Verdict[] = [];
  const missing = [!sub.tenantId && 'tid', !sub.objectId && 'oid'].filter(Boolean) as string[];
  out.push(
    missing.length
      ? {
          rule: 'claims',
          label: 'Required claims',
          ok: false,
          reason: 'missing_claim',
          detail: `The token has no ${missing.join(' or ')} claim.`,
          fix: 'Request a delegated access token for a signed-in user; app-only tokens lack them.',
        }
      : { rule: 'claims', label: 'Required claims', ok: true, detail: 'tid and oid are present.' },
  );
  out.push(
    sub.tenantId === s.tenantId
      ? { rule: 'tenant', label: 'Tenant (tid)', ok: true, detail: `Tenant ${s.tenantId}.` }
      : {
          rule: 'tenant',
          label: 'Tenant (tid)',
          ok: false,
          reason: 'tenant_mismatch',
          detail: `Token tenant ${sub.tenantId ?? 'missing'}, configured tenant ${s.tenantId}.`,
          fix: 'The user signed in to another directory. Sign in with an account of the configured tenant, or check the Tenant ID setting.',
        },
  );
  const issuers = [material.v2Issuer, material.v1Issuer].filter((i): i is string => i !== null);
  const iss = typeof claims.iss === 'string' ? claims.iss : '';
  out.push(
    issuers.includes(iss)
      ? { rule: 'issuer', label: 'Issuer (iss)', ok: true, detail: `${iss} (${iss === material.v2Issuer ? 'v2' : 'v1'} issuer of the tenant).` }
      : {
          rule: 'issuer',
          label: 'Issuer (iss)',
          ok: false,
          reason: 'issuer_mismatch',
          detail: `Issuer "${iss.slice(0, 200) || 'missing'}" is not ${issuers.map((i) => `"${i}"`).join(' or ')}.`,
          fix: 'The token comes from another authority or cloud. Check the Cloud and Authority host settings.',
        },
  );
  const template = key?.issuerTemplate ?? null;
  const keyOk = !template || !sub.tenantId || template.replace('{tenantid}', sub.tenantId) === material.v2Issuer;
  out.push(
    keyOk
      ? {
          rule: 'key_issuer',
          label: 'Signing key issuer',
          ok: true,
          detail: template ? `Key issuer ${template} matches the tenant.` : 'The key carries no issuer template.',
        }
      : {
          rule: 'key_issuer',
          label: 'Signing key issuer',
          ok: false,
          reason: 'issuer_mismatch',
          detail: `The signing key belongs to ${template}.`,
          fix: 'The token was signed for another issuer; it cannot be used here.',
        },
  );
  const version = sub.tokenVersion ?? (iss === material.v2Issuer ? '2.0' : '1.0');
  const audiences = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud.map(String) : [];
  const audOk = audiences.some((a) => a === s.audience || a === s.clientId);
  out.push(
    audOk
      ? { rule: 'audience', label: 'Audience (aud)', ok: true, detail: `${audiences.join(', ')} is this server.` }
      : {
          rule: 'audience',
          label: 'Audience (aud)',
          ok: false,
          reason: 'audience_mismatch',
          detail: `Audience is ${audiences.join(', ') || 'missing'}; expected ${version === '2.0' ? `"${s.clientId}"` : `"${s.audience}"`}.`,
          fix:
            version === '2.0'
              ? `This is a v2 token: its audience is the client ID. Request the scope ${s.scope} so the token is issued for this API, not for ${audiences[0] ?? 'another API'}.`
              : `This is a v1 token: its audience is the App ID URI (${s.audience}). Request the scope ${s.scope}; a token for Microsoft Graph or another API is refused.`,
        },
  );
  out.push(
    sub.scopes.includes(s.scopeName)
      ? { rule: 'scope', label: 'Scope (scp)', ok: true, detail: `scp contains ${s.scopeName}.` }
      : {
          rule: 'scope',
          label: 'Scope (scp)',
          ok: false,
          reason: 'missing_scope',
          detail: sub.scopes.length
            ? `scp is "${sub.scopes.join(' ')}", without ${s.scopeName}.`
            : 'The token has no scp claim (ID tokens and app-only tokens have none).',
          fix: `Send the access token (not the ID token) acquired for the scope ${s.scope}.`,
        },
  );
  const client = sub.clientAppId?.toLowerCase() ?? null;
  out.push(
    !client
      ? {
          rule: 'client',
          label: 'Client app (azp/appid)',
          ok: false,
          reason: 'missing_claim',
          detail: `The token has no ${version === '2.0' ? 'azp' : 'appid'} claim.`,
          fix: 'Use a token issued to a client app.',
        }
      : s.allowedClientIds.includes(client)
        ? { rule: 'client', label: 'Client app (azp/appid)', ok: true, detail: `${client} is allowed.` }
        : {
            rule: 'client',
            label: 'Client app (azp/appid)',
            ok: false,
            reason: 'client_not_allowed',
            detail: `Client app ${client} is not in the allowed client IDs (${s.allowedClientIds.join(', ')}).`,
            fix: 'Add this app to "Allowed client apps" in the SSO settings if it is yours.',
          },
  );
  return out;
}
