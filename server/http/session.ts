import 'server-only';
import { getDb } from '@/db/client';
import { loginUserOf } from '@/server/login/login';
import { lookupSession, revokeSession } from '@/server/sessions/sessions';
import { DATABASE_RETRY_AFTER_SECONDS } from '@/server/lib/database-fault';
import { databaseOutage, noteDatabaseFault } from '@/server/lib/database-outage';
import { refusalRoute } from './login';
import { errorBody } from './responses';
import { jsonRoute, type RouteMethods, type RouteRequest, type RouteResponse } from './route-core';
import { webRoutes } from './web-adapter';

/**
 * GET /api/session (who am I) and DELETE /api/session (logout), with the session token of
 * POST /api/login as `Authorization: Bearer <token>`.
 */
const sessionMessages = {
  missing_token: 'Send the session token as "Authorization: Bearer <token>".',
  session_not_found: 'This session does not exist. Sign in again.',
  session_revoked: 'This session was ended. Sign in again.',
  session_expired: 'This session has expired. Sign in again.',
} as const;

function sessionRefusal(reason: keyof typeof sessionMessages): RouteResponse {
  const status = reason === 'missing_token' ? 400 : 401;
  const error = reason === 'missing_token' ? 'invalid_request' : 'invalid_token';
  const headers: Record<string, string> =
    status === 401 ? { 'www-authenticate': `Bearer error="invalid_token", error_description="${sessionMessages[reason]}"` } : {};
  return jsonRoute(errorBody(error, reason, sessionMessages[reason]), status, headers);
}

function bearer(request: RouteRequest): string | null {
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(request.header('authorization') ?? '');
  return m ? m[1]! : null;
}

function withSession(request: RouteRequest, then: (found: Extract<ReturnType<typeof lookupSession>, { ok: true }>) => RouteResponse): RouteResponse {
  const token = bearer(request);
  if (!token) return sessionRefusal('missing_token');
  const db = getDb();
  try {
    const found = lookupSession(db, token);
    if (!found.ok) return found.reason === 'user_disabled' ? refusalRoute('user_disabled') : sessionRefusal(found.reason);
    return then(found);
  } catch (err) {
    // a dead or locked database: the same 503 as /api/login, not a 500
    if (noteDatabaseFault(err, db)) return refusalRoute('database_unavailable', undefined, DATABASE_RETRY_AFTER_SECONDS);
    throw err;
  }
}

const LOGGED_OUT: RouteResponse = { status: 204, headers: { 'cache-control': 'no-store' }, body: null };

/** The route table entry of /api/session (fast-routes.ts), and through the Web adapter the exports of app/api/session/route.ts. */
export const sessionRoutes = {
  GET: (request) =>
    withSession(request, ({ session, user }) =>
      jsonRoute({
        session: { createdAt: new Date(session.createdAt).toISOString(), expiresAt: new Date(session.expiresAt).toISOString() },
        user: loginUserOf(getDb(), user),
      }),
    ),
  DELETE: (request) =>
    // a write: during a database outage answered at once, not after another busy timeout
    databaseOutage()
      ? refusalRoute('database_unavailable', undefined, DATABASE_RETRY_AFTER_SECONDS)
      : withSession(request, ({ session }) => {
          revokeSession(getDb(), session.id, 'logout');
          return LOGGED_OUT;
        }),
} satisfies RouteMethods;
export const { GET, DELETE } = webRoutes(sessionRoutes);
