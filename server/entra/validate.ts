import 'server-only';
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import type { Db } from '@/db/client';
import type { EffectiveSettings } from '@/server/settings/derive';
import { LoginRefusedError } from './errors';
import { findSigningKey, KeysUnavailableError, getSigningMaterial, type SigningMaterial } from './metadata';
import { subjectOf, type TokenSubject } from './claims';
import { claimVerdicts } from './rules';

/** Longest token accepted: Entra tokens stay well under this even with 200 groups. */
export const MAX_TOKEN_LENGTH = 16 * 1024;

export interface ValidatedToken {
  claims: JWTPayload;
  subject: TokenSubject & { tenantId: string; objectId: string; tokenVersion: '1.0' | '2.0' };
  /** The signing key's ID, for the token doctor. */
  kid: string;
}

/**
 * The one validator of Entra ID access tokens (client logins and the console's API calls).
 * Accepts a token only if Entra signed it (RS256, a key of the configured tenant's pinned
 * jwks_uri), it is within its lifetime (± clock skew), and it was issued for this server:
 * tenant, issuer, audience, scope and client app. Throws {@link LoginRefusedError} with the
 * reason code of docs/contract.md. Replay protection is the login's business, not the token's.
 */
export async function validateAccessToken(db: Db, settings: EffectiveSettings, token: string, now = Date.now()): Promise<ValidatedToken> {
  if (!settings.enabled || !settings.complete) throw new LoginRefusedError('sso_not_configured');
  if (token.length > MAX_TOKEN_LENGTH) throw new LoginRefusedError('malformed_token', 'The token is longer than any Entra ID token.');
  if (token.split('.').length !== 3) throw new LoginRefusedError('malformed_token', 'A JWT has three dot-separated parts.');
  let header;
  try {
    header = decodeProtectedHeader(token);
    decodeJwt(token);
  } catch {
    throw new LoginRefusedError('malformed_token', 'Its header or payload is not base64url-encoded JSON.');
  }
  if (header.alg !== 'RS256') throw new LoginRefusedError('unsupported_alg', `The token says alg "${String(header.alg)}".`);
  if (typeof header.kid !== 'string' || header.kid === '') throw new LoginRefusedError('unknown_key', 'The token names no signing key (kid).');

  let material: SigningMaterial;
  try {
    material = await getSigningMaterial(db, settings);
  } catch (err) {
    if (err instanceof KeysUnavailableError)
      throw new LoginRefusedError('keys_unavailable', 'Discovery or the key set could not be fetched and no copy is cached.');
    throw err;
  }
  const signingKey = await findSigningKey(db, settings, material, header.kid);
  if (!signingKey) throw new LoginRefusedError('unknown_key', `No published key has kid "${header.kid.slice(0, 64)}".`);

  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(token, signingKey.key, {
      algorithms: ['RS256'],
      clockTolerance: settings.clockSkewSeconds,
      currentDate: new Date(now),
      requiredClaims: ['exp'],
    }));
  } catch (err) {
    throw mapJoseError(err);
  }

  const failed = claimVerdicts(claims, material, signingKey, settings).find((v) => !v.ok);
  if (failed) throw new LoginRefusedError(failed.reason ?? 'missing_claim', failed.detail);
  const subject = subjectOf(claims);
  const tokenVersion = subject.tokenVersion ?? (claims.iss === material.v2Issuer ? '2.0' : '1.0');
  return {
    claims,
    subject: { ...subject, tenantId: subject.tenantId!, objectId: subject.objectId!, tokenVersion },
    kid: header.kid,
  };
}

export function mapJoseError(err: unknown): LoginRefusedError {
  if (err instanceof errors.JWSSignatureVerificationFailed) return new LoginRefusedError('bad_signature');
  if (err instanceof errors.JWTExpired) return new LoginRefusedError('token_expired', `It expired at ${expiry(err.payload)}.`);
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'nbf') return new LoginRefusedError('token_not_yet_valid');
    if (err.reason === 'missing') return new LoginRefusedError('missing_claim', `The token has no ${err.claim} claim.`);
    return new LoginRefusedError('malformed_token', `Claim ${err.claim} is invalid.`);
  }
  if (err instanceof errors.JOSEAlgNotAllowed) return new LoginRefusedError('unsupported_alg');
  if (err instanceof errors.JOSEError) return new LoginRefusedError('malformed_token');
  throw err;
}

function expiry(payload: JWTPayload): string {
  return typeof payload.exp === 'number' ? new Date(payload.exp * 1000).toISOString() : 'an unknown time';
}
