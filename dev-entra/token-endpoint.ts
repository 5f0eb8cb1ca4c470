import type { IncomingMessage, ServerResponse } from 'node:http';
import { appByClientId } from './apps';
import { entraError, tokenErrorBody } from './errors';
import { corsHeaders, readBody, sendJson } from './http';
import { authorizationCodeGrant, refreshTokenGrant } from './token-grants';
import type { GrantResult, TokenRequest } from './token-grants';
import type { EmulatorState } from './state';
import type { TenantScope } from './tenants';

const NO_STORE = { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' };

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
  const clientId = form.get('client_id');
  if (!clientId) return missing('client_id');
  const client = appByClientId(clientId);
  if (!client) {
    return { ok: false, error: entraError('unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory.`) };
  }
  const request: TokenRequest = { form, client, tenant, crossOrigin: typeof req.headers.origin === 'string', ipaddr: clientAddress(req) };
  if (grantType === 'authorization_code') return authorizationCodeGrant(state, request);
  if (grantType === 'refresh_token') return refreshTokenGrant(state, request);
  return { ok: false, error: entraError('unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`) };
}

/** `POST /<tenant>/oauth2/v2.0/token`: JSON tokens, or Entra's JSON error with status 400. */
export async function handleToken(state: EmulatorState, req: IncomingMessage, res: ServerResponse, tenant: TenantScope): Promise<void> {
  const headers = { ...corsHeaders(req), ...NO_STORE };
  const result = await run(state, req, tenant);
  if (result.ok) {
    sendJson(res, 200, result.body, headers);
    return;
  }
  const correlation = req.headers['client-request-id'];
  sendJson(res, 400, tokenErrorBody(state.origin, result.error, typeof correlation === 'string' ? correlation : undefined), headers);
}
