import { createHash, randomBytes } from 'node:crypto';
import { base64url } from 'jose';
import type { EntraEmulator } from './server';

/** Helpers shared by the emulator's own tests (not part of the public API). */

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = base64url.encode(randomBytes(32));
  return { verifier, challenge: base64url.encode(createHash('sha256').update(verifier).digest()) };
}

export const SPA_REDIRECT = 'http://localhost:3000/sso';
/** SPA codes may only be redeemed cross-origin, i.e. with an Origin header, as from a browser. */
export const BROWSER_ORIGIN = 'http://localhost:3000';

export interface AuthorizeParams {
  [name: string]: string | undefined;
}

/** GET /authorize without following redirects. */
export async function authorize(entra: EntraEmulator, params: AuthorizeParams, tenant = entra.tenantId, cookie?: string): Promise<Response> {
  const url = new URL(`${entra.origin}/${tenant}/oauth2/v2.0/authorize`);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
}

/** The parameters of a 302 back to the client, from the query or the fragment. */
export function replyParams(response: Response): URLSearchParams {
  const location = response.headers.get('location');
  if (!location) throw new Error(`expected a redirect, got ${response.status}`);
  const url = new URL(location);
  return new URLSearchParams(url.hash ? url.hash.slice(1) : url.search);
}

export async function postToken(
  entra: EntraEmulator,
  form: Record<string, string>,
  headers: Record<string, string> = { origin: BROWSER_ORIGIN },
  tenant = entra.tenantId,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${entra.origin}/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Signs a demo user in as the ICE SPA would, and returns the code and its verifier. */
export async function signIn(
  entra: EntraEmulator,
  loginHint: string,
  scope = `api://${entra.clientId}/UserProfile.ReadWrite openid profile offline_access`,
): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = pkcePair();
  const response = await authorize(entra, {
    client_id: entra.clientId,
    response_type: 'code',
    redirect_uri: SPA_REDIRECT,
    scope,
    state: 's1',
    nonce: 'n1',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    login_hint: loginHint,
    client_info: '1',
  });
  const code = replyParams(response).get('code');
  if (!code) throw new Error(`no code: ${response.headers.get('location')}`);
  return { code, verifier };
}

/** A client-credentials request for Graph with the ICE Server app's secret (or any other form fields). */
export async function appToken(
  entra: EntraEmulator,
  form: Record<string, string> = {},
  tenant = entra.tenantId,
): Promise<{ status: number; body: Record<string, unknown> }> {
  return postToken(
    entra,
    { grant_type: 'client_credentials', client_id: entra.clientId, client_secret: entra.clientSecret, scope: `${entra.graphHost}/.default`, ...form },
    {},
    tenant,
  );
}

/** A Graph call with a bearer token; the body is parsed JSON (Graph always answers JSON). */
export async function graph(
  entra: EntraEmulator,
  token: string | undefined,
  pathOrUrl: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${entra.graphHost}/v1.0/${pathOrUrl}`;
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}
