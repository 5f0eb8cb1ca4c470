import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from 'jose';
import { z } from 'zod';
import { AppRegistryError } from './app-registry';
import { signRaw } from './attacks';
import { GRAPH_ROUTES } from './control-graph';
import { jsonBody } from './control-routes';
import type { Route } from './control-routes';
import { AddKeySchema, ConfigSchema, OutageSchema, RawTokenSchema, TokenRequestSchema } from './control-schemas';
import { DirectoryError } from './directory';
import { sendJson } from './http';
import { KeyRingError } from './keys';
import { mintAccessToken, mintIdToken } from './mint';
import { MintError } from './mint-options';
import type { EmulatorState } from './state';

/** `/_dev/...` routes, for test processes (Playwright, scripts) that cannot call the emulator directly. */
const ROUTES: Record<string, Route> = {
  'POST tokens': async (state, req) => {
    const { kind, ...options } = await jsonBody(req, TokenRequestSchema);
    const token = kind === 'id' ? await mintIdToken(state, options) : await mintAccessToken(state, options);
    return { status: 200, body: { token } };
  },
  'POST raw-tokens': async (state, req) => {
    const { header, payload, alg } = await jsonBody(req, RawTokenSchema);
    return { status: 200, body: { token: await signRaw(state.ring, header, payload, alg) } };
  },
  'GET keys': async (state) => ({
    status: 200,
    body: { currentKid: state.ring.currentKid, published: state.ring.published().map((k) => k.kid), unpublishedKid: state.ring.unpublished.kid },
  }),
  'POST keys': async (state, req) => ({ status: 201, body: { kid: await state.ring.add(await jsonBody(req, AddKeySchema)) } }),
  'DELETE keys': async (state, _req, kid) => {
    state.ring.retire(kid);
    return { status: 204 };
  },
  'POST current-key': async (state, req) => {
    const { kid } = await jsonBody(req, z.object({ kid: z.string() }).strict());
    state.ring.use(kid);
    return { status: 200, body: { currentKid: state.ring.currentKid } };
  },
  'POST outage': async (state, req) => {
    const { down, mode } = await jsonBody(req, OutageSchema);
    state.outage = { down, mode: mode ?? 'unavailable' };
    return { status: 200, body: state.outage };
  },
  'POST config': async (state, req) => {
    const update = await jsonBody(req, ConfigSchema);
    if (update.apiTokenVersion !== undefined) state.config.apiTokenVersion = update.apiTokenVersion;
    if (update.redirectUris !== undefined) Object.assign(state.config.redirectUris, update.redirectUris);
    return { status: 200, body: state.config };
  },
  'GET requests': async (state, req) => {
    const prefix = new URL(req.url ?? '/', 'http://x').searchParams.get('prefix') ?? '';
    const requests = state.requests.filter((r) => r.path.startsWith(prefix));
    return { status: 200, body: { count: requests.length, requests } };
  },
  'DELETE requests': async (state) => {
    state.requests.length = 0;
    return { status: 204 };
  },
  ...GRAPH_ROUTES,
};

/** Maps the control API's failures to 4xx; anything unexpected stays a 500 without internals. */
function failure(e: unknown): { status: number; body: unknown } {
  if (e instanceof z.ZodError) return { status: 400, body: { error: 'invalid_request', issues: e.issues } };
  if (e instanceof SyntaxError) return { status: 400, body: { error: 'invalid_request', message: 'body is not JSON' } };
  // jose refuses some requested headers (e.g. a `crit` naming a missing parameter): the caller's mistake.
  if (e instanceof MintError || e instanceof KeyRingError || e instanceof DirectoryError || e instanceof AppRegistryError || e instanceof errors.JOSEError) {
    return { status: 400, body: { error: 'invalid_request', message: e.message } };
  }
  return { status: 500, body: { error: 'server_error' } };
}

/** Handles `/_dev/<name>[/<param>]`; the caller has already checked that the peer is loopback. */
export async function handleControl(state: EmulatorState, req: IncomingMessage, res: ServerResponse, segments: readonly string[]): Promise<void> {
  const [name = '', param = ''] = segments;
  const key = `${req.method ?? 'GET'} ${name}`;
  const route = Object.hasOwn(ROUTES, key) ? ROUTES[key] : undefined;
  if (!route) {
    sendJson(res, 404, { error: 'not_found' });
    return;
  }
  const result = await route(state, req, decodeURIComponent(param)).catch(failure);
  if (result.body === undefined) {
    res.writeHead(result.status).end();
    return;
  }
  sendJson(res, result.status, result.body, { 'Cache-Control': 'no-store' });
}
