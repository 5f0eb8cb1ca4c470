import 'server-only';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { LoginRefusedError } from '@/server/entra/errors';
import { reasons, type ReasonCode } from '@/shared/login-reasons';
import { loginWithToken } from '@/server/login/login';
import { recordRefusedRequest } from '@/server/login/refusals';
import { log } from '@/server/lib/log';
import { BodyTooLargeError, clientIp, json, readBodyCapped, serverErrorBody } from './responses';
import { requestIdOf } from '@/server/lib/request-id';

const bodySchema = z.object({ token: z.string().min(1).max(64 * 1024) });

/** The RFC 6750 error response of docs/contract.md; 401s carry WWW-Authenticate. */
export function refusalResponse(reason: ReasonCode, detail?: string, retryAfter?: number): Response {
  const r = reasons[reason];
  const message = detail ? `${r.message} ${detail}` : r.message;
  const headers: Record<string, string> = {};
  if (r.status === 401) headers['www-authenticate'] = `Bearer error="invalid_token", error_description="${quoteSafe(r.message)}"`;
  if (retryAfter) headers['retry-after'] = String(retryAfter);
  return json({ error: r.error, reason, message }, r.status, headers);
}

const quoteSafe = (s: string) => s.replace(/["\\\r\n]/g, ' ');

/** Token from `Authorization: Bearer`, else from a JSON body `{"token": "..."}`. */
async function tokenOf(request: Request): Promise<string> {
  const auth = request.headers.get('authorization');
  if (auth !== null) {
    const match = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(auth);
    if (!match) {
      if (/^Bearer\s*$/i.test(auth.trim())) throw new LoginRefusedError('missing_token');
      throw new LoginRefusedError('malformed_request', 'The Authorization header must be "Bearer <token>".');
    }
    return match[1]!;
  }
  const text = await readBodyCapped(request);
  if (text.trim() === '') throw new LoginRefusedError('missing_token');
  const type = request.headers.get('content-type') ?? '';
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

/** POST /api/login: an Entra ID access token in, a session and the user's profile out. */
export async function POST(request: Request): Promise<Response> {
  const db = getDb();
  const ip = clientIp(request);
  const userAgent = request.headers.get('user-agent');
  let token: string;
  try {
    token = await tokenOf(request);
  } catch (err) {
    const reason: ReasonCode = err instanceof BodyTooLargeError ? 'request_too_large' : err instanceof LoginRefusedError ? err.reason : 'malformed_request';
    // a request that carries no usable token is still an attempt: it gets its history row
    recordRefusedRequest(db, reason, ip, userAgent);
    return refusalResponse(reason, err instanceof LoginRefusedError ? err.detail : undefined);
  }
  try {
    const result = await loginWithToken(db, { token, ip, userAgent, requestId: requestIdOf(request) });
    return json(result, 200);
  } catch (err) {
    if (err instanceof LoginRefusedError && err.reason !== 'server_error') return refusalResponse(err.reason, err.detail, err.retryAfterSeconds);
    // an unexpected fault: logged (by the login, with this ID), answered without its message
    if (!(err instanceof LoginRefusedError)) log.error('login failed unexpectedly', { requestId: requestIdOf(request), error: (err as Error).message });
    return json(serverErrorBody(requestIdOf(request)), 500);
  }
}

export function OPTIONS(): Response {
  return new Response(null, { status: 204, headers: { allow: 'POST, OPTIONS' } });
}
