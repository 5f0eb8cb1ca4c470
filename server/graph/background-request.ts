import 'server-only';
import type { Db } from '@/db/client';
import type { EffectiveSettings } from '@/server/settings/derive';
import type { GraphCredential } from '@/server/settings/graph-credential';
import { GraphRequestError } from './errors';
import { requestJson, type JsonAnswer } from './http';
import { appToken, dropAppToken } from './token';

/**
 * One Graph call of a background task with ice-sso's app token: a 401 gets one new token, any
 * other status is returned as it came (the task decides; it never waits out a `Retry-After`,
 * it backs off instead). Throws {@link GraphRequestError} when Graph or Entra cannot be reached.
 */
export async function backgroundGraphCall(
  db: Db,
  s: EffectiveSettings,
  credential: GraphCredential,
  url: string,
  init: { method: 'GET' | 'POST'; body?: unknown },
  deadline: number,
): Promise<JsonAnswer> {
  const headers: Record<string, string> = init.body === undefined ? {} : { 'content-type': 'application/json' };
  const body = init.body === undefined ? undefined : JSON.stringify(init.body);
  for (let attempt = 0; ; attempt++) {
    const token = await appToken(db, s, credential, deadline);
    const answer = await requestJson(
      url,
      { method: init.method, headers: { ...headers, authorization: `Bearer ${token.accessToken}` }, body },
      deadline,
      'Microsoft Graph',
    );
    if (answer.status !== 401 || attempt > 0) return answer;
    // a token revoked or signed with a rolled key: one new token, once
    dropAppToken(db, s, credential);
  }
}

/** Graph's OData error code of an answer (`Request_ResourceNotFound`, ...), if it sent one. */
export function graphErrorCode(answer: JsonAnswer): string | null {
  const code = (answer.body as { error?: { code?: unknown } } | null)?.error?.code;
  return typeof code === 'string' ? code.slice(0, 100) : null;
}

/** A non-200 answer as a {@link GraphRequestError}: Graph's code and status, never a token. */
export function backgroundFailure(answer: JsonAnswer): GraphRequestError {
  const code = graphErrorCode(answer) ?? `HTTP ${answer.status}`;
  const said = `Microsoft Graph: ${code} (HTTP ${answer.status})`;
  if (answer.status === 403 || code === 'Authorization_RequestDenied')
    return new GraphRequestError(
      'graph_permission_denied',
      `${said}. Grant GroupMember.Read.All / User.Read.All as Application permissions with admin consent on the app registration.`,
    );
  if (answer.status === 429 || answer.status >= 500) return new GraphRequestError('graph_unavailable', said, answer.retryAfter ?? undefined);
  if (answer.status === 401) return new GraphRequestError('graph_token_refused', `${said}: the app token was not accepted`);
  return new GraphRequestError('graph_bad_response', said);
}
