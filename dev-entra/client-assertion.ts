import { compactVerify, decodeProtectedHeader } from 'jose';
import type { DemoApp } from './apps';
import type { CertificateCredential } from './app-registry';
import { entraError } from './errors';
import type { EntraError } from './errors';
import type { EmulatorState } from './state';
import type { DemoTenant } from './tenants';

export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Entra accepts RSA signatures on client assertions: PKCS#1 v1.5 and PSS. */
const ASSERTION_ALGS = ['RS256', 'PS256'];
/** Tolerated clock difference between the client and the emulator. */
const CLOCK_SKEW_S = 60;
/** Microsoft's guidance (and MSAL's default) for an assertion's lifetime; longer ones are refused. */
export const MAX_ASSERTION_LIFETIME_S = 600;

const DOCS = 'Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .';
const malformed = (): EntraError => entraError('invalid_request', 50027, 'JWT token is invalid or malformed.');
const invalid = (code: number, description: string): EntraError => entraError('invalid_client', code, description);

function thumbprintsOf(header: Record<string, unknown>): { x5t?: string; x5tS256?: string } {
  const pick = (name: string) => (typeof header[name] === 'string' ? (header[name] as string) : undefined);
  return { x5t: pick('x5t'), x5tS256: pick('x5t#S256') };
}

function findCertificate(certificates: readonly CertificateCredential[], header: Record<string, unknown>): CertificateCredential | undefined {
  const { x5t, x5tS256 } = thumbprintsOf(header);
  // `x5t#S256` wins when both are present, as in Entra; the SHA-1 `x5t` is the legacy form.
  if (x5tS256 !== undefined) return certificates.find((c) => c.x5tS256 === x5tS256);
  return x5t === undefined ? undefined : certificates.find((c) => c.x5t === x5t);
}

function audiences(state: EmulatorState, tenant: DemoTenant, segment: string): Set<string> {
  const bases = new Set([tenant.id, segment.toLowerCase(), tenant.domain]);
  const accepted = new Set<string>();
  for (const base of bases) {
    accepted.add(`${state.origin}/${base}/oauth2/v2.0/token`);
    accepted.add(`${state.origin}/${base}/oauth2/token`);
  }
  accepted.add(`${state.origin}/${tenant.id}/v2.0`);
  return accepted;
}

function timeError(now: number, nbf: number | undefined, exp: number, reason: string): EntraError {
  const iso = (s: number) => new Date(s * 1000).toISOString();
  return invalid(
    700024,
    `Client assertion is not within its valid time range. Current time: ${iso(now)}, assertion valid from ${nbf === undefined ? '-' : iso(nbf)}, expiry time of assertion ${iso(exp)}. ${reason} ${DOCS}`,
  );
}

/**
 * Verifies a `private_key_jwt` client assertion the way Entra does: the certificate named by
 * `x5t#S256` (or legacy `x5t`) among the app's key credentials, an RS256/PS256 signature by its
 * key, `iss` = `sub` = client ID, `aud` = this token endpoint, a `jti`, and a short `exp`.
 */
export async function verifyClientAssertion(
  state: EmulatorState,
  assertion: string,
  client: DemoApp,
  tenant: DemoTenant,
  segment: string,
): Promise<EntraError | undefined> {
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(assertion) as Record<string, unknown>;
  } catch {
    return malformed();
  }
  if (typeof header.alg !== 'string' || !ASSERTION_ALGS.includes(header.alg)) {
    return invalid(700027, `Client assertion contains an invalid signature. [Reason - The signing algorithm '${String(header.alg)}' is not supported.]`);
  }
  const certificate = findCertificate(state.apps.settings(client.clientId).certificates, header);
  const { x5t, x5tS256 } = thumbprintsOf(header);
  if (!certificate) {
    return invalid(
      700027,
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${x5tS256 ?? x5t ?? ''}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${client.clientId}'.]`,
    );
  }
  let payloadBytes: Uint8Array;
  try {
    ({ payload: payloadBytes } = await compactVerify(assertion, certificate.publicKey, { algorithms: ASSERTION_ALGS }));
  } catch {
    return invalid(
      700027,
      `Client assertion contains an invalid signature. [Reason - The provided signature value did not match the expected signature value., Thumbprint of key used by client: '${certificate.thumbprint}', Found key 'Start=${certificate.endDateTime}'.]`,
    );
  }
  let claims: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(payloadBytes));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return malformed();
    claims = parsed as Record<string, unknown>;
  } catch {
    return malformed();
  }
  if (typeof claims.jti !== 'string' || claims.jti === '' || typeof claims.exp !== 'number') return malformed();
  const clientId = client.clientId;
  if (String(claims.iss).toLowerCase() !== clientId || String(claims.sub).toLowerCase() !== clientId) {
    return invalid(700021, `Client assertion application identifier doesn't match 'client_id' parameter. ${DOCS}`);
  }
  const aud = Array.isArray(claims.aud) && claims.aud.length === 1 ? claims.aud[0] : claims.aud;
  if (typeof aud !== 'string' || !audiences(state, tenant, segment).has(aud)) {
    return invalid(700023, `Client assertion audience claim does not match Realm issuer. ${DOCS}`);
  }
  const now = Math.floor(Date.now() / 1000);
  const nbf = typeof claims.nbf === 'number' ? claims.nbf : undefined;
  if (claims.exp <= now - CLOCK_SKEW_S) return timeError(now, nbf, claims.exp, 'The assertion has expired.');
  if (nbf !== undefined && nbf > now + CLOCK_SKEW_S) return timeError(now, nbf, claims.exp, 'The assertion is not valid yet.');
  if (claims.exp > now + MAX_ASSERTION_LIFETIME_S + CLOCK_SKEW_S) {
    return timeError(now, nbf, claims.exp, `The assertion lives longer than ${MAX_ASSERTION_LIFETIME_S} seconds.`);
  }
  return undefined;
}
