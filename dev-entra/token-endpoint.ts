import type { IncomingMessage, ServerResponse } from 'node:http';
import { appByClientId } from './apps';
import { clientCredentialsGrant } from './client-credentials';
import { count } from './counters';
import { entraError, tokenErrorBody } from './errors';
import { corsHeaders, readBody, sendJson } from './http';
import { authorizationCodeGrant, refreshTokenGrant } from './token-grants';
import type { GrantResult, TokenRequest } from './token-grants';
import type { EmulatorState } from './state';
import type { TenantScope } from './tenants';

const NO_STORE = { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' };

/** `Authorization: Basic` (client_secret_basic): both parts form-urlencoded, as RFC 6749 §2.3.1 says. */
function basicCredentials(req: IncomingMessage): { clientId: string; secret: string } | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string' || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const part = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
  try {
    return { clientId: part(decoded.slice(0, colon)), secret: part(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

function clientAddress(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
}

async function run(state: EmulatorState, req: IncomingMessage, tenant: TenantScope): Promise<GrantResult> {
  if (req.method !== 'POST') {
    return {
      ok: false,
      error: entraError('invalid_request', 900561, `The endpoint only accepts POST, OPTIONS requests. Received a ${req.method ?? ''} request.`),
    };
  }
  const form = new URLSearchParams(await readBody(req));
  const missing = (name: string): GrantResult => ({
    ok: false,
    error: entraError('invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`),
  });
  const grantType = form.get('grant_type');
  if (!grantType) return missing('grant_type');
  const basic = basicCredentials(req);
  const clientId = form.get('client_id') ?? basic?.clientId;
  if (!clientId) return missing('client_id');
  const client = appByClientId(clientId);
  if (!client) {
    return { ok: false, error: entraError('unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory.`) };
  }
  const request: TokenRequest = {
    form,
    client,
    tenant,
    crossOrigin: typeof req.headers.origin === 'string',
    ipaddr: clientAddress(req),
    basicSecret: basic?.secret,
  };
  const kinded = (result: GrantResult): GrantResult => (result.ok ? { ...result, kind: grantType } : result);
  if (grantType === 'authorization_code') return kinded(await authorizationCodeGrant(state, request));
  if (grantType === 'refresh_token') return kinded(await refreshTokenGrant(state, request));
  if (grantType === 'client_credentials') return clientCredentialsGrant(state, request);
  return { ok: false, error: entraError('unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`) };
}

/** `POST /<tenant>/oauth2/v2.0/token`: JSON tokens, or Entra's JSON error (401 for client authentication, else 400). */
export async function handleToken(state: EmulatorState, req: IncomingMessage, res: ServerResponse, tenant: TenantScope): Promise<void> {
  const headers = { ...corsHeaders(req), ...NO_STORE };
  const result = await run(state, req, tenant);
  if (result.ok) {
    count(state.counters.tokenGrants, result.kind ?? 'unknown');
    sendJson(res, 200, result.body, headers);
    return;
  }
  const correlation = req.headers['client-request-id'];
  // Entra answers a failed client authentication with 401, everything else with 400.
  const status = result.error.error === 'invalid_client' ? 401 : 400;
  sendJson(res, status, tokenErrorBody(state.origin, result.error, typeof correlation === 'string' ? correlation : undefined), headers);
}
