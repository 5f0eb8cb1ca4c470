import 'server-only';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { LoginRefusedError } from '@/server/entra/errors';
import { reasons, type ReasonCode } from '@/shared/login-reasons';
import { loginWithToken } from '@/server/login/login';
import { recordRefusedRequest } from '@/server/login/refusals';
import { log } from '@/server/lib/log';
import { DATABASE_RETRY_AFTER_SECONDS } from '@/server/lib/database-fault';
import { databaseOutage, noteDatabaseFault } from '@/server/lib/database-outage';
import { countLogin, countRateLimited } from '@/server/lib/metrics';
import { serverErrorBody } from './responses';
import { jsonRoute, type RouteMethods, type RouteRequest, type RouteResponse } from './route-core';
import { webRoutes } from './web-adapter';

const bodySchema = z.object({
  token: z
    .string()
    .min(1)
    .max(64 * 1024),
});

const quoteSafe = (s: string) => s.replace(/["\\\r\n]/g, ' ');

/** The RFC 6750 error response of docs/contract.md; 401s carry WWW-Authenticate. */
export function refusalRoute(reason: ReasonCode, detail?: string, retryAfter?: number): RouteResponse {
  const r = reasons[reason];
  const message = detail ? `${r.message} ${detail}` : r.message;
  const headers: Record<string, string> = {};
  if (r.status === 401) headers['www-authenticate'] = `Bearer error="invalid_token", error_description="${quoteSafe(r.message)}"`;
  if (retryAfter) headers['retry-after'] = String(retryAfter);
  return jsonRoute({ error: r.error, reason, message }, r.status, headers);
}

/** Token from `Authorization: Bearer`, else from a JSON body `{"token": "..."}`. */
async function tokenOf(request: RouteRequest): Promise<string> {
  const auth = request.header('authorization');
  if (auth !== undefined) {
    const match = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(auth);
    if (!match) {
      if (/^Bearer\s*$/i.test(auth.trim())) throw new LoginRefusedError('missing_token');
      throw new LoginRefusedError('malformed_request', 'The Authorization header must be "Bearer <token>".');
    }
    return match[1]!;
  }
  const text = await request.readBody();
  if (text === null) throw new LoginRefusedError('request_too_large');
  if (text.trim() === '') throw new LoginRefusedError('missing_token');
  const type = request.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(type) && type !== '') throw new LoginRefusedError('malformed_request', 'Send the body as application/json.');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new LoginRefusedError('malformed_request', 'The body is not valid JSON.');
  }
  if (body && typeof body === 'object' && !('token' in body)) throw new LoginRefusedError('missing_token');
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) throw new LoginRefusedError('malformed_request', 'The body must be {"token": "<JWT>"}.');
  return parsed.data.token;
}

/** POST /api/login: an Entra ID access token in, a session and the user's profile out; counted in the metrics. */
async function login(request: RouteRequest): Promise<RouteResponse> {
  const started = performance.now();
  const { response, reason } = await attempt(request);
  countLogin(response.status < 300 ? 'accepted' : response.status < 500 ? 'refused' : 'failed', reason, (performance.now() - started) / 1000);
  if (reason === 'too_many_attempts') countRateLimited('login_address');
  return response;
}

async function attempt(request: RouteRequest): Promise<{ response: RouteResponse; reason: ReasonCode | null }> {
  const refused = (reason: ReasonCode, detail?: string, retryAfter?: number) => ({ response: refusalRoute(reason, detail, retryAfter), reason });
  // the database is out (a login already waited its busy timeout): answer at once until it is back
  if (databaseOutage()) return refused('database_unavailable', undefined, DATABASE_RETRY_AFTER_SECONDS);
  const db = getDb();
  const ip = request.clientIp;
  const userAgent = request.header('user-agent') ?? null;
  let token: string;
  try {
    token = await tokenOf(request);
  } catch (err) {
    const reason: ReasonCode = err instanceof LoginRefusedError ? err.reason : 'malformed_request';
    // a request that carries no usable token is still an attempt: it gets its history row
    recordRefusedRequest(db, reason, ip, userAgent);
    return refused(reason, err instanceof LoginRefusedError ? err.detail : undefined);
  }
  try {
    return { response: jsonRoute(await loginWithToken(db, { token, ip, userAgent, requestId: request.requestId }), 200), reason: null };
  } catch (err) {
    if (err instanceof LoginRefusedError && err.reason !== 'server_error') return refused(err.reason, err.detail, err.retryAfterSeconds);
    // a database fault before the login's own handling (reading the settings): the same 503
    if (noteDatabaseFault(err, db)) return refused('database_unavailable', undefined, DATABASE_RETRY_AFTER_SECONDS);
    // an unexpected fault: logged (by the login, with this ID), answered without its message
    if (!(err instanceof LoginRefusedError)) log.error('login failed unexpectedly', { requestId: request.requestId, error: (err as Error).message });
    return { response: jsonRoute(serverErrorBody(request.requestId), 500), reason: 'server_error' };
  }
}

const OPTIONS_ANSWER: RouteResponse = { status: 204, headers: { allow: 'POST, OPTIONS' }, body: null };

/** The route table entry of /api/login (fast-routes.ts), and through the Web adapter the exports of app/api/login/route.ts. */
export const loginRoutes = { POST: login, OPTIONS: () => OPTIONS_ANSWER } satisfies RouteMethods;
export const { POST, OPTIONS } = webRoutes(loginRoutes);
