import 'server-only';
import { z } from 'zod';
import type { Db } from '@/db/client';
import type { EffectiveSettings } from '@/server/settings/derive';
import type { GraphCredential } from '@/server/settings/graph-credential';
import { GraphRequestError } from './errors';
import { pause, requestJson, type JsonAnswer } from './http';
import { appToken, dropAppToken } from './token';

/** At most this many pages (999 groups each) are read for one user. */
export const MAX_MEMBERSHIP_PAGES = 50;
/** 429/503 answers retried at most this often per sign-in, each after its `Retry-After` if that fits the time left. */
export const MAX_GRAPH_RETRIES = 3;
/** Wait before a retry when Graph sends no `Retry-After`. */
const DEFAULT_RETRY_MS = 500;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const page = z.object({
  value: z.array(z.looseObject({ id: z.string() })).max(999),
  '@odata.nextLink': z.string().optional(),
});

export interface GraphGroup {
  id: string;
  displayName: string | null;
}

/** The first page's URL: built from settings only (never from the token's `_claim_sources`). */
export function membershipsUrl(graphHost: string, objectId: string): string {
  return `${graphHost}/v1.0/users/${encodeURIComponent(objectId)}/transitiveMemberOf/microsoft.graph.group?$select=id,displayName&$top=999`;
}

/**
 * Every group the user is a member of, directly or through nested groups, from
 * `transitiveMemberOf/microsoft.graph.group` with `@odata.nextLink` paging (docs/decisions.md).
 * A nextLink off the configured Graph host is refused; 429/503 are retried after `Retry-After`
 * while the deadline allows. Throws {@link GraphRequestError}.
 */
export async function transitiveGroupsOf(db: Db, s: EffectiveSettings, credential: GraphCredential, objectId: string, deadline: number): Promise<GraphGroup[]> {
  if (!GUID.test(objectId)) throw new GraphRequestError('graph_user_not_found', 'the token has no valid object ID (oid) to look up');
  const base = `${s.graphHost}/v1.0/`;
  const groups = new Map<string, GraphGroup>();
  const budget = { retries: MAX_GRAPH_RETRIES, tokenRetried: false };
  let url: string | undefined = membershipsUrl(s.graphHost, objectId);
  for (let n = 0; url; n++) {
    if (n >= MAX_MEMBERSHIP_PAGES) throw new GraphRequestError('graph_bad_response', `more than ${MAX_MEMBERSHIP_PAGES} pages of groups`);
    const answer = await getWithRetries(db, s, credential, url, deadline, budget);
    const parsed = page.safeParse(answer.body);
    if (!parsed.success) throw new GraphRequestError('graph_bad_response', 'Microsoft Graph: the answer is not a page of groups');
    for (const g of parsed.data.value) {
      if (!GUID.test(g.id)) continue;
      const id = g.id.toLowerCase();
      groups.set(id, { id, displayName: typeof g.displayName === 'string' ? g.displayName.slice(0, 256) : null });
    }
    url = parsed.data['@odata.nextLink'];
    if (url !== undefined) checkNextLink(url, base);
  }
  return [...groups.values()];
}

/** A nextLink is followed only under `<graphHost>/v1.0/` (same origin, same path): it carries the app token. */
export function checkNextLink(link: string, base: string): void {
  let u: URL;
  try {
    u = new URL(link);
  } catch {
    throw new GraphRequestError('graph_next_link_refused', 'Microsoft Graph sent a nextLink that is not a URL; not followed');
  }
  const expected = new URL(base);
  if (u.origin !== expected.origin || !u.pathname.startsWith(expected.pathname) || u.username || u.password)
    throw new GraphRequestError(
      'graph_next_link_refused',
      `Microsoft Graph sent a nextLink to ${u.origin}${u.pathname} (not under the configured Graph host ${base}); not followed`,
    );
}

async function getWithRetries(
  db: Db,
  s: EffectiveSettings,
  credential: GraphCredential,
  url: string,
  deadline: number,
  budget: { retries: number; tokenRetried: boolean },
): Promise<JsonAnswer> {
  for (;;) {
    const token = await appToken(db, s, credential, deadline);
    const answer = await requestJson(url, { method: 'GET', headers: { authorization: `Bearer ${token.accessToken}` } }, deadline, 'Microsoft Graph');
    if (answer.status === 200) return answer;
    if (answer.status === 401 && !budget.tokenRetried) {
      // a token revoked or signed with a rolled key: one new token, once
      budget.tokenRetried = true;
      dropAppToken(db, s, credential);
      continue;
    }
    if ((answer.status === 429 || answer.status === 503 || answer.status === 504) && budget.retries > 0) {
      budget.retries--;
      const waitMs = answer.retryAfter === null ? DEFAULT_RETRY_MS : answer.retryAfter * 1000;
      if (await pause(waitMs, deadline)) continue;
    }
    throw graphFailure(answer);
  }
}

function graphFailure(answer: JsonAnswer): GraphRequestError {
  const error = (answer.body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const code = typeof error?.code === 'string' ? error.code.slice(0, 100) : `HTTP ${answer.status}`;
  const message = typeof error?.message === 'string' ? error.message.split(/\r?\n/)[0]!.slice(0, 300) : '';
  const said = `Microsoft Graph: ${code}${message ? ` (${message})` : ''}`;
  if (answer.status === 403 || code === 'Authorization_RequestDenied')
    return new GraphRequestError(
      'graph_permission_denied',
      `${said}. Grant GroupMember.Read.All / User.Read.All as Application permissions with admin consent on the app registration.`,
    );
  if (answer.status === 404) return new GraphRequestError('graph_user_not_found', `${said}: the user is not in the tenant's directory`);
  if (answer.status === 429 || answer.status >= 500)
    return new GraphRequestError('graph_unavailable', `${said}: HTTP ${answer.status}`, answer.retryAfter ?? undefined);
  if (answer.status === 401) return new GraphRequestError('graph_token_refused', `${said}: the app token was not accepted`);
  return new GraphRequestError('graph_bad_response', `${said}: HTTP ${answer.status}`);
}
