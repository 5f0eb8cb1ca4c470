import type { IncomingMessage, ServerResponse } from 'node:http';
import { NATIVE_CLIENT_PATH } from './apps';
import { handleAuthorize } from './authorize';
import { handleControl } from './control-api';
import { openIdConfigurationV1, openIdConfigurationV2 } from './discovery';
import { entraError, tokenErrorBody } from './errors';
import { handleGraph } from './graph';
import { BodyTooLargeError, corsHeaders, isLoopback, sendHtml, sendJson } from './http';
import { keySet } from './key-sets';
import { handleLogout } from './logout';
import { nativeClientPage } from './pages';
import type { EmulatorState } from './state';
import { resolveTenant } from './tenants';
import type { TenantScope } from './tenants';
import { handleToken } from './token-endpoint';

/** Microsoft Graph shares the origin: the emulator is a custom cloud whose authority and Graph hosts are one. */
const GRAPH_VERSION = 'v1.0';

/** Entra lets clients cache metadata and keys for a day. */
const METADATA_CACHE = { 'Cache-Control': 'max-age=86400, private' };

type Endpoint = (state: EmulatorState, req: IncomingMessage, res: ServerResponse, tenant: TenantScope, url: URL) => Promise<void> | void;

/** Discovery and key endpoints: public, CORS-enabled, and what an outage takes down. */
const METADATA: Record<string, (state: EmulatorState, tenant: TenantScope) => unknown> = {
  'v2.0/.well-known/openid-configuration': (s, t) => openIdConfigurationV2(s.origin, t),
  '.well-known/openid-configuration': (s, t) => openIdConfigurationV1(s.origin, t),
  'discovery/v2.0/keys': (s) => keySet(s.ring, 'v2', s.origin),
  'discovery/keys': (s) => keySet(s.ring, 'v1', s.origin),
};

const PROTOCOL: Record<string, Endpoint> = {
  'oauth2/v2.0/authorize': (s, req, res, t, url) => handleAuthorize(s, req, res, t, url),
  'oauth2/v2.0/token': (s, req, res, t) => handleToken(s, req, res, t),
  'oauth2/v2.0/logout': (s, _req, res, _t, url) => handleLogout(s, res, url),
};

function serveMetadata(state: EmulatorState, req: IncomingMessage, res: ServerResponse, tenant: TenantScope, rest: string): void {
  const cors = corsHeaders(req);
  if (req.method === 'OPTIONS') {
    res.writeHead(204, cors).end();
  } else if (state.outage.down && state.outage.mode === 'reset') {
    req.socket.destroy();
  } else if (state.outage.down) {
    const error = entraError('temporarily_unavailable', 90033, 'A transient error has occurred. Please try again.');
    sendJson(res, 503, tokenErrorBody(state.origin, error), { ...cors, 'Retry-After': '5' });
  } else {
    sendJson(res, 200, METADATA[rest]?.(state, tenant), { ...cors, ...METADATA_CACHE });
  }
}

function notFound(state: EmulatorState, res: ServerResponse, tenantSegment: string | undefined): void {
  const error =
    tenantSegment === undefined
      ? entraError('invalid_request', 900561, 'The endpoint does not exist.')
      : entraError(
          'invalid_tenant',
          90002,
          `Tenant '${tenantSegment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
        );
  sendJson(res, tenantSegment === undefined ? 404 : 400, tokenErrorBody(state.origin, error));
}

/** Routes one request to Entra's paths (`/<tenant>/...`), Graph's (`/v1.0/...`) or the loopback-only `/_dev/` API. */
export async function route(state: EmulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', state.origin);
  const segments = url.pathname.split('/').filter(Boolean);
  const [first, ...restSegments] = segments;
  if (first === '_dev') {
    if (!isLoopback(req)) sendJson(res, 403, { error: 'forbidden' });
    else await handleControl(state, req, res, restSegments);
    return;
  }
  state.requests.push({ method: req.method ?? 'GET', path: url.pathname, at: Date.now() });
  if (url.pathname === NATIVE_CLIENT_PATH) {
    sendHtml(res, 200, nativeClientPage());
    return;
  }
  if (first === GRAPH_VERSION) {
    await handleGraph(state, req, res, restSegments, url);
    return;
  }
  const rest = restSegments.join('/');
  // Own properties only: a path like `/common/constructor` must not reach Object.prototype.
  const isMetadata = Object.hasOwn(METADATA, rest);
  const endpoint = Object.hasOwn(PROTOCOL, rest) ? PROTOCOL[rest] : undefined;
  if (first === undefined || (!isMetadata && !endpoint)) {
    notFound(state, res, undefined);
    return;
  }
  const tenant = resolveTenant(first);
  if (!tenant) {
    notFound(state, res, first);
    return;
  }
  if (isMetadata) serveMetadata(state, req, res, tenant, rest);
  else if (req.method === 'OPTIONS') res.writeHead(204, corsHeaders(req)).end();
  else await endpoint?.(state, req, res, tenant, url);
}

/** The request listener: routing plus a last line of defence that never leaks internals. */
export function createListener(state: EmulatorState): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    route(state, req, res).catch((e: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const tooLarge = e instanceof BodyTooLargeError;
      sendJson(res, tooLarge ? 413 : 500, { error: tooLarge ? 'invalid_request' : 'server_error' });
    });
  };
}
