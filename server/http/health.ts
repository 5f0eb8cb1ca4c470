import 'server-only';
import crypto from 'node:crypto';
import { getEnv } from '@/config/env';
import { getDb } from '@/db/client';
import { readiness, type Readiness } from '@/server/health/readiness';
import { databaseFaultCode } from '@/server/lib/database-fault';
import { noteDatabaseFault } from '@/server/lib/database-outage';
import { metricsText } from '@/server/lib/metrics';
import { errorBody } from './responses';
import { jsonRoute, type RouteMethods, type RouteRequest, type RouteResponse } from './route-core';
import { webRoutes } from './web-adapter';

/**
 * GET/HEAD /healthz, /readyz and /metrics (docs/operations.md, "Health checks" and "Metrics"),
 * on the main port through both doors, never rate-limited. No secrets, no paths, `no-store`.
 */

const ALIVE = jsonRoute({ status: 'ok' }, 200);

/** The process answers: no database, no network. */
function healthz(): RouteResponse {
  return ALIVE;
}

/** 200 when every check passes, else 503 naming the failed ones (server/health/readiness.ts). */
async function readyz(): Promise<RouteResponse> {
  let result: Readiness;
  try {
    result = await readiness(getDb());
  } catch (err) {
    // the database could not even be opened
    noteDatabaseFault(err);
    const down = { ok: false, reason: 'database_unavailable' as const };
    result = { status: 'unready', checks: { database: { ...down, code: databaseFaultCode(err) ?? 'UNKNOWN' }, migrations: down, signing_keys: down } };
  }
  return jsonRoute(result, result.status === 'ready' ? 200 : 503);
}

const NOT_FOUND = jsonRoute(errorBody('not_found', 'not_found', 'There is nothing at this path.'), 404);

function unauthorized(reason: 'metrics_token_missing' | 'metrics_token_invalid'): RouteResponse {
  const challenge = reason === 'metrics_token_invalid' ? 'Bearer realm="metrics", error="invalid_token"' : 'Bearer realm="metrics"';
  const message = reason === 'metrics_token_invalid' ? 'The metrics token is wrong.' : 'Send the metrics token as "Authorization: Bearer <token>".';
  return jsonRoute(errorBody('unauthorized', reason, message), 401, { 'www-authenticate': challenge });
}

/** Constant time, whatever the lengths: both sides hashed first. */
function sameToken(given: string, expected: string): boolean {
  const digest = (s: string) => crypto.createHash('sha256').update(s).digest();
  return crypto.timingSafeEqual(digest(given), digest(expected));
}

/** Prometheus text, only with `Authorization: Bearer <METRICS_TOKEN>`; 404 while METRICS_TOKEN is unset. */
async function metrics(request: RouteRequest): Promise<RouteResponse> {
  const expected = getEnv().METRICS_TOKEN;
  if (!expected) return NOT_FOUND;
  const auth = request.header('authorization');
  if (auth === undefined || /^Bearer\s*$/i.test(auth.trim())) return unauthorized('metrics_token_missing');
  const match = /^Bearer +(\S+)\s*$/i.exec(auth);
  if (!match || !sameToken(match[1]!, expected)) return unauthorized('metrics_token_invalid');
  const { contentType, text } = await metricsText();
  return { status: 200, headers: { 'content-type': contentType, 'cache-control': 'no-store' }, body: text };
}

/** The route table entries (fast-routes.ts), and through the Web adapter the exports of app/healthz, app/readyz, app/metrics. */
export const healthzRoutes = { GET: healthz, HEAD: healthz } satisfies RouteMethods;
export const readyzRoutes = { GET: readyz, HEAD: readyz } satisfies RouteMethods;
export const metricsRoutes = { GET: metrics, HEAD: metrics } satisfies RouteMethods;
export const healthzHandlers = webRoutes(healthzRoutes);
export const readyzHandlers = webRoutes(readyzRoutes);
export const metricsHandlers = webRoutes(metricsRoutes);
