import 'server-only';
import { getDb } from '@/db/client';
import { loginUserOf } from '@/server/login/login';
import { lookupSession, revokeSession } from '@/server/sessions/sessions';
import { errorBody, json } from './responses';
import { refusalResponse } from './login';

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

function sessionRefusal(reason: keyof typeof sessionMessages): Response {
  const status = reason === 'missing_token' ? 400 : 401;
  const error = reason === 'missing_token' ? 'invalid_request' : 'invalid_token';
  const headers: Record<string, string> = status === 401 ? { 'www-authenticate': `Bearer error="invalid_token", error_description="${sessionMessages[reason]}"` } : {};
  return json(errorBody(error, reason, sessionMessages[reason]), status, headers);
}

function bearer(request: Request): string | null {
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '');
  return m ? m[1]! : null;
}

function withSession(request: Request, then: (found: Extract<ReturnType<typeof lookupSession>, { ok: true }>) => Response): Response {
  const token = bearer(request);
  if (!token) return sessionRefusal('missing_token');
  const db = getDb();
  const found = lookupSession(db, token);
  if (!found.ok) return found.reason === 'user_disabled' ? refusalResponse('user_disabled') : sessionRefusal(found.reason);
  return then(found);
}

export function GET(request: Request): Response {
  return withSession(request, ({ session, user }) =>
    json({
      session: { createdAt: new Date(session.createdAt).toISOString(), expiresAt: new Date(session.expiresAt).toISOString() },
      user: loginUserOf(getDb(), user),
    }),
  );
}

export function DELETE(request: Request): Response {
  return withSession(request, ({ session }) => {
    revokeSession(getDb(), session.id, 'logout');
    return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });
  });
}
