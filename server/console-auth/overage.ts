import 'server-only';
import { dbState, type Db } from '@/db/client';
import type { TokenSubject } from '@/server/entra/claims';
import { resolveOverageGroups } from '@/server/graph/resolve';
import type { EffectiveSettings } from '@/server/settings/derive';

/** A console token's resolved memberships are reused for this long (each console request re-validates the token). */
const RESOLVED_TTL_MS = 5 * 60_000;
/** A failed resolution is not retried for this long: a Graph outage must not add its time limit to every console request. */
const FAILED_TTL_MS = 30_000;
const MAX_ENTRIES = 1_000;

interface Entry {
  groups: string[] | null;
  until: number;
}

/**
 * Console roles under groups overage: when role groups are configured, the memberships come
 * from Microsoft Graph, once per access token (keyed by its `uti`, for at most five minutes,
 * never beyond its `exp`), so a membership removed in Entra counts from the next token on.
 * Returns the subject with the resolved groups, or as it was (overage) when Graph cannot answer.
 */
export async function withResolvedGroups<S extends Pick<TokenSubject, 'groups' | 'uti' | 'tenantId' | 'objectId'>>(
  db: Db,
  subject: S,
  s: EffectiveSettings,
  tokenExp: number | null,
  now = Date.now(),
): Promise<S> {
  if (subject.groups !== 'overage' || s.adminGroupIds.length + s.auditorGroupIds.length === 0 || !subject.objectId) return subject;
  const cache = dbState<Map<string, Entry>>(db, 'console-overage', () => new Map());
  const key = `${s.tenantId}|${subject.tenantId}|${subject.objectId}|${subject.uti ?? tokenExp}`;
  const hit = cache.get(key);
  if (hit && hit.until > now) return hit.groups ? { ...subject, groups: hit.groups } : subject;
  const resolved = await resolveOverageGroups(db, s, subject.objectId);
  const groups = resolved.source === 'graph' ? resolved.groupIds : null;
  const ttl = groups ? RESOLVED_TTL_MS : FAILED_TTL_MS;
  if (cache.size >= MAX_ENTRIES) for (const [k, e] of cache) if (e.until <= now || cache.size >= MAX_ENTRIES) cache.delete(k);
  cache.set(key, { groups, until: Math.min(now + ttl, tokenExp ?? Infinity) });
  return groups ? { ...subject, groups } : subject;
}
