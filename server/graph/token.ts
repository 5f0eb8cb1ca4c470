import 'server-only';
import crypto from 'node:crypto';
import { SignJWT } from 'jose';
import { dbState, type Db } from '@/db/client';
import type { EffectiveSettings } from '@/server/settings/derive';
import type { GraphCredential } from '@/server/settings/graph-credential';
import { GraphRequestError } from './errors';
import { requestJson } from './http';

/** A token is renewed this long before it expires (Entra's app tokens live 60–90 minutes). */
export const APP_TOKEN_RENEW_BEFORE_MS = 5 * 60_000;
/** A client assertion lives this long (Microsoft's guidance: at most 10 minutes). */
const ASSERTION_LIFETIME_S = 300;

export interface AppToken {
  accessToken: string;
  expiresAt: number;
}

interface TokenCache {
  tokens: Map<string, AppToken>;
  inFlight: Map<string, Promise<AppToken>>;
}
const cacheOf = (db: Db) => dbState<TokenCache>(db, 'graph-app-token', () => ({ tokens: new Map(), inFlight: new Map() }));

/** The token endpoint of the client-credentials grant: always the tenant's own, on the authority host. */
export const appTokenUrl = (s: Pick<EffectiveSettings, 'authorityHost' | 'tenantId'>) => `${s.authorityHost}/${s.tenantId}/oauth2/v2.0/token`;

const cacheKey = (credential: GraphCredential, s: EffectiveSettings) => [credential.id, s.clientId, s.tenantId, s.authorityHost, s.graphHost].join('|');

/**
 * ice-sso's own app-only token for Microsoft Graph (client credentials, scope
 * `<graphHost>/.default`), cached per credential, client, tenant and hosts until shortly before
 * it expires; concurrent callers share one request. Throws {@link GraphRequestError}.
 */
export async function appToken(db: Db, s: EffectiveSettings, credential: GraphCredential, deadline: number): Promise<AppToken> {
  const cache = cacheOf(db);
  const key = cacheKey(credential, s);
  const cached = cache.tokens.get(key);
  if (cached && cached.expiresAt - APP_TOKEN_RENEW_BEFORE_MS > Date.now()) return cached;
  const pending = cache.inFlight.get(key);
  if (pending) return pending;
  const request = requestAppToken(s, credential, deadline)
    .then((token) => {
      // one entry per key: a replaced credential's token is dropped with the next request
      for (const k of cache.tokens.keys()) if (k.split('|')[0] !== credential.id) cache.tokens.delete(k);
      cache.tokens.set(key, token);
      return token;
    })
    .finally(() => cache.inFlight.delete(key));
  cache.inFlight.set(key, request);
  return request;
}

/** Forgets a cached token that Graph refused (401), so the next call asks for a new one. */
export function dropAppToken(db: Db, s: EffectiveSettings, credential: GraphCredential): void {
  cacheOf(db).tokens.delete(cacheKey(credential, s));
}

/** One client-credentials request, uncached (Check configuration uses it to prove the credential). */
export async function requestAppToken(s: EffectiveSettings, credential: GraphCredential, deadline: number): Promise<AppToken> {
  const url = appTokenUrl(s);
  const form = new URLSearchParams({ client_id: s.clientId, scope: `${s.graphHost}/.default`, grant_type: 'client_credentials' });
  if (credential.kind === 'client_secret') form.set('client_secret', credential.secret);
  else {
    form.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    form.set('client_assertion', await clientAssertion(s, credential, url));
  }
  const started = Date.now();
  const answer = await requestJson(
    url,
    { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() },
    deadline,
    'Entra token endpoint',
  );
  const body = (answer.body ?? {}) as Record<string, unknown>;
  if (answer.status === 200 && typeof body.access_token === 'string' && body.access_token.length > 0) {
    const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : Number(body.expires_in);
    const lifetime = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : 3_599_000;
    return { accessToken: body.access_token, expiresAt: started + lifetime };
  }
  throw tokenFailure(answer.status, body, answer.retryAfter);
}

/** A `private_key_jwt` client assertion (Microsoft's certificate credential): PS256, `x5t#S256`, aud the token endpoint. */
async function clientAssertion(s: EffectiveSettings, credential: Extract<GraphCredential, { kind: 'certificate' }>, audience: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'PS256', typ: 'JWT', 'x5t#S256': credential.thumbprintSha256 })
    .setIssuer(s.clientId)
    .setSubject(s.clientId)
    .setAudience(audience)
    .setJti(crypto.randomUUID())
    .setNotBefore(now - 5)
    .setIssuedAt(now)
    .setExpirationTime(now + ASSERTION_LIFETIME_S)
    .sign(credential.privateKey);
}

/** Entra's error → a stable reason, naming the AADSTS code; the description is Entra's own (it never echoes the secret). */
function tokenFailure(status: number, body: Record<string, unknown>, retryAfter: number | null): GraphRequestError {
  const codes = Array.isArray(body.error_codes) ? body.error_codes.filter((c): c is number => typeof c === 'number') : [];
  const error = typeof body.error === 'string' ? body.error : `HTTP ${status}`;
  const description = typeof body.error_description === 'string' ? body.error_description.split(/\r?\n/)[0]!.slice(0, 300) : '';
  const aadsts = codes.length ? ` (AADSTS${codes[0]})` : '';
  if (status === 429 || status >= 500)
    return new GraphRequestError('graph_unavailable', `Entra token endpoint: HTTP ${status}${aadsts}`, retryAfter ?? undefined);
  if (codes.includes(7000215) || codes.includes(7000222))
    return new GraphRequestError(
      'graph_credential_rejected',
      `Entra refused the client secret${aadsts}: ${codes.includes(7000222) ? 'it has expired' : 'it is not a valid secret of this app'}. Create a new client secret under the app registration's "Certificates & secrets" and set graphClientSecret again.`,
    );
  if (error === 'invalid_client')
    return new GraphRequestError(
      'graph_credential_rejected',
      `Entra refused the credential${aadsts}: ${description || 'invalid_client'}. Check the certificate (or secret) registered on the app.`,
    );
  return new GraphRequestError('graph_token_refused', `Entra refused the app token${aadsts}: ${error}${description ? `: ${description}` : ''}`);
}
