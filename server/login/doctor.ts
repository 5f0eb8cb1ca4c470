import 'server-only';
import type { z } from 'zod';
import type { diagnosisSchema, doctorStepSchema } from '@/server/entra/schemas';
import { decodeJwt, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { usedTokenIds } from '@/db/schema';
import type { EffectiveSettings } from '@/server/settings/derive';
import { findUserByObjectId } from '@/server/directory/users';
import { LoginRefusedError } from '@/server/entra/errors';
import { getSigningMaterial, type SigningMaterial } from '@/server/entra/metadata';
import { reasons } from '@/shared/login-reasons';
import { claimVerdicts } from '@/server/entra/rules';
import { loginPolicyVerdicts } from '@/server/entra/policy';
import { subjectOf } from '@/server/entra/claims';
import { mapJoseError, MAX_TOKEN_LENGTH } from '@/server/entra/validate';

export type DoctorStep = z.infer<typeof doctorStepSchema>;
/** How the validator judges a pasted token (see {@link diagnosisSchema}). */
export type Diagnosis = z.infer<typeof diagnosisSchema>;

/**
 * Explains how the validator judges a token pasted by an admin: every rule's verdict with
 * the fix in plain words. Uses the validator's own rules and cached keys; records nothing,
 * fetches no key for an unknown kid and does not consume replay protection.
 */
export async function diagnoseToken(db: Db, s: EffectiveSettings, token: string, now = Date.now()): Promise<Diagnosis> {
  const steps: DoctorStep[] = [];
  const result = (header: Record<string, unknown> | null, payload: JWTPayload | null): Diagnosis => {
    const failed = steps.find((x) => x.ok === false);
    const sub = payload ? subjectOf(payload) : null;
    return {
      header,
      payload: payload as Record<string, unknown> | null,
      tokenVersion: sub?.tokenVersion ?? null,
      looksLike: !payload
        ? 'unknown'
        : sub?.scopes.length
          ? 'access token'
          : 'nonce' in payload || (payload.aud === s.clientId && !sub?.scopes.length && !sub?.roles.length)
            ? 'ID token'
            : sub?.roles.length
              ? 'app-only token'
              : 'unknown',
      steps,
      accepted: !failed && steps.every((x) => x.ok === true),
      firstFailure: failed?.reason ? { reason: failed.reason, message: reasons[failed.reason].message } : null,
    };
  };
  const trimmed = token.trim().replace(/^Bearer\s+/i, '');
  if (!s.enabled || !s.complete) {
    steps.push({
      rule: 'settings',
      label: 'SSO settings',
      ok: false,
      reason: 'sso_not_configured',
      detail: 'SSO is disabled or the tenant and client IDs are not set.',
      fix: 'Complete and enable the SSO settings first.',
    });
  }
  let header: Record<string, unknown>;
  let payload: JWTPayload;
  try {
    if (trimmed.length > MAX_TOKEN_LENGTH || trimmed.split('.').length !== 3) throw new Error('shape');
    header = decodeProtectedHeader(trimmed) as Record<string, unknown>;
    payload = decodeJwt(trimmed);
  } catch {
    steps.push({
      rule: 'format',
      label: 'Format',
      ok: false,
      reason: 'malformed_token',
      detail: 'This is not a JWT: three base64url parts separated by dots.',
      fix: 'Paste the whole access token, without quotes.',
    });
    return result(null, null);
  }
  steps.push({ rule: 'format', label: 'Format', ok: true, detail: 'A JWT with a readable header and payload.' });
  const algOk = header.alg === 'RS256';
  steps.push(
    algOk
      ? { rule: 'alg', label: 'Algorithm', ok: true, detail: 'RS256.' }
      : {
          rule: 'alg',
          label: 'Algorithm',
          ok: false,
          reason: 'unsupported_alg',
          detail: `alg is "${String(header.alg)}"; only RS256 is accepted.`,
          fix: 'Entra ID signs with RS256: this token was not issued by Entra ID, or was tampered with.',
        },
  );
  if (!s.complete) return result(header, payload);
  let material: SigningMaterial | null = null;
  try {
    material = await getSigningMaterial(db, s);
  } catch {
    steps.push({
      rule: 'key',
      label: 'Signing key',
      ok: false,
      reason: 'keys_unavailable',
      detail: 'The tenant keys cannot be loaded.',
      fix: 'Run "Check configuration" on the settings page.',
    });
    return result(header, payload);
  }
  const kid = typeof header.kid === 'string' ? header.kid : '';
  const key = material.keys.get(kid) ?? null;
  steps.push(
    key
      ? { rule: 'key', label: 'Signing key', ok: true, detail: `kid ${kid} is a published key of the tenant.` }
      : {
          rule: 'key',
          label: 'Signing key',
          ok: false,
          reason: 'unknown_key',
          detail: kid ? `kid ${kid.slice(0, 64)} is not among the ${material.keys.size} published keys.` : 'The token names no key (kid).',
          fix: 'The token was not signed by this tenant, or its key was rotated out. Sign in again.',
        },
  );
  if (key && algOk) {
    try {
      await jwtVerify(trimmed, key.key, { algorithms: ['RS256'], clockTolerance: s.clockSkewSeconds, currentDate: new Date(now), requiredClaims: ['exp'] });
      steps.push(
        { rule: 'signature', label: 'Signature', ok: true, detail: 'Signed by Entra ID.' },
        { rule: 'lifetime', label: 'Lifetime', ok: true, detail: lifetimeText(payload, now) },
      );
    } catch (err) {
      const refusal = mapJoseError(err);
      if (refusal.reason === 'bad_signature') {
        steps.push({
          rule: 'signature',
          label: 'Signature',
          ok: false,
          reason: 'bad_signature',
          detail: 'The signature does not verify.',
          fix: 'The token was altered after Entra ID issued it, or copied incompletely.',
        });
        steps.push({ rule: 'lifetime', label: 'Lifetime', ok: null, detail: `Not checked (signature). ${lifetimeText(payload, now)}` });
      } else {
        steps.push({ rule: 'signature', label: 'Signature', ok: true, detail: 'Signed by Entra ID.' });
        steps.push(lifetimeFailure(refusal, payload, now, s.clockSkewSeconds));
      }
    }
  } else {
    steps.push({ rule: 'signature', label: 'Signature', ok: null, detail: 'Not checked: no usable key.' });
  }
  for (const v of claimVerdicts(payload, material, key, s)) steps.push(v);
  // the login's own rules after the token's: replay, user status, required groups (overage fails closed)
  const sub = subjectOf(payload);
  const used =
    s.replayProtection && sub.uti ? db.select({ uti: usedTokenIds.uti }).from(usedTokenIds).where(eq(usedTokenIds.uti, sub.uti)).get() !== undefined : null;
  const user = sub.tenantId && sub.objectId ? findUserByObjectId(db, sub.tenantId, sub.objectId) : undefined;
  for (const v of loginPolicyVerdicts(sub, s, { userStatus: user?.status ?? null, userName: user?.displayName ?? user?.objectId, utiUsed: used }))
    steps.push(v);
  return result(header, payload);
}

function lifetimeText(p: JWTPayload, now: number): string {
  // the doctor runs on the server: its times say UTC, not the server's zone
  const fmt = (t: unknown) => (typeof t === 'number' ? `${new Date(t * 1000).toISOString().slice(0, 19).replace('T', ' ')} UTC` : 'not set');
  const left = typeof p.exp === 'number' ? Math.round((p.exp * 1000 - now) / 60000) : null;
  return `Valid from ${fmt(p.nbf ?? p.iat)} to ${fmt(p.exp)}${left !== null ? ` (${left >= 0 ? `${left} min left` : `expired ${-left} min ago`})` : ''}.`;
}

function lifetimeFailure(err: LoginRefusedError, p: JWTPayload, now: number, skew: number): DoctorStep {
  const base = { rule: 'lifetime', label: 'Lifetime', ok: false as const, reason: err.reason };
  if (err.reason === 'token_expired')
    return {
      ...base,
      detail: `${lifetimeText(p, now)} Clock skew allowed: ${skew} s.`,
      fix: 'The token has expired: the client must acquire a fresh token (MSAL acquireTokenSilent) before calling /api/login.',
    };
  if (err.reason === 'token_not_yet_valid')
    return { ...base, detail: `${lifetimeText(p, now)}`, fix: "The token's nbf is in the future: check the clock of this server and of the device." };
  return { ...base, detail: err.detail ?? err.message, fix: 'The token lacks a valid exp claim.' };
}
