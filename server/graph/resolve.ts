import 'server-only';
import type { Db } from '@/db/client';
import { graphCredentials } from '@/db/schema';
import { log } from '@/server/lib/log';
import type { EffectiveSettings } from '@/server/settings/derive';
import { GraphCredentialUnreadableError } from '@/server/settings/errors';
import { activeGraphCredential } from '@/server/settings/graph-credential';
import { GraphRequestError, type GraphFailureReason } from './errors';
import { transitiveGroupsOf } from './memberships';

/** A sign-in waits at most this long for Microsoft Graph, retries included: a slow Graph cannot hold sign-ins. */
export const GRAPH_LOGIN_TIME_LIMIT_MS = 3_000;
/** `Retry-After` of a refusal while Graph is failing: Graph's own advice when it gave one (bounded), else these. */
const RETRY_TRANSIENT_S = 5;
const RETRY_CONFIGURATION_S = 60;
const RETRY_MAX_S = 300;

/** How a sign-in's groups were decided when the token had groups overage. */
export type OverageResolution =
  | { source: 'graph'; groupIds: string[] }
  | {
      source: 'unresolved';
      /** False when no credential (or no Graph host) is configured: then there is nothing to retry. */
      configured: boolean;
      reason: GraphFailureReason | 'graph_credential_unreadable';
      message: string;
      /** When to try again; set only when Graph is configured but failing. */
      retryAfterSeconds?: number;
    };

/** Whether overage can be resolved at all: a credential is set and a Graph host is known. Cheap: one indexed read. */
export function graphConfigured(db: Db, s: EffectiveSettings): boolean {
  return Boolean(s.graphHost) && db.select({ kind: graphCredentials.kind }).from(graphCredentials).limit(1).get() !== undefined;
}

/**
 * The memberships of a user whose token had groups overage, from Microsoft Graph with
 * ice-sso's own app-only token, within {@link GRAPH_LOGIN_TIME_LIMIT_MS}. Never throws: a
 * failure is an `unresolved` result with the reason (and logged as a warning, without tokens).
 */
export async function resolveOverageGroups(
  db: Db,
  s: EffectiveSettings,
  objectId: string,
  timeLimitMs = GRAPH_LOGIN_TIME_LIMIT_MS,
): Promise<OverageResolution> {
  if (!s.graphHost)
    return { source: 'unresolved', configured: false, reason: 'graph_not_configured', message: 'graphHost is not set (required for a custom cloud)' };
  try {
    const credential = activeGraphCredential(db);
    if (!credential) return { source: 'unresolved', configured: false, reason: 'graph_not_configured', message: 'no Microsoft Graph credential is set' };
    const groups = await transitiveGroupsOf(db, s, credential, objectId, Date.now() + timeLimitMs);
    return { source: 'graph', groupIds: groups.map((g) => g.id) };
  } catch (err) {
    if (!(err instanceof GraphRequestError) && !(err instanceof GraphCredentialUnreadableError)) throw err;
    const transient = err.reason === 'graph_unavailable';
    const retryAfterSeconds = Math.min(RETRY_MAX_S, Math.max(1, err.retryAfterSeconds ?? (transient ? RETRY_TRANSIENT_S : RETRY_CONFIGURATION_S)));
    log.warn('groups overage unresolved: Microsoft Graph did not answer', { reason: err.reason, detail: err.message });
    return {
      source: 'unresolved',
      configured: true,
      reason: err.reason as GraphFailureReason | 'graph_credential_unreadable',
      message: err.message,
      retryAfterSeconds,
    };
  }
}
