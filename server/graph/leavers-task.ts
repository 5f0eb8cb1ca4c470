import 'server-only';
import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import { z } from 'zod';
import { dbState, type Db } from '@/db/client';
import { sessions } from '@/db/schema';
import { statement } from '@/db/statements';
import { writeTransaction } from '@/db/transaction';
import { userTargetSnapshot } from '@/server/audit/change-target';
import { recordChange, type Actor } from '@/server/audit/changes';
import type { BackgroundTask } from '@/server/background';
import { log } from '@/server/lib/log';
import type { EffectiveSettings } from '@/server/settings/derive';
import { GraphCredentialUnreadableError } from '@/server/settings/errors';
import { activeGraphCredential, type GraphCredential } from '@/server/settings/graph-credential';
import { getSettings } from '@/server/settings/service';
import { backgroundFailure, backgroundGraphCall, graphErrorCode } from './background-request';
import { GraphRequestError, type GraphFailureReason } from './errors';

/**
 * Why the leaver check ended a user's sessions: the session's `revoke_reason` and the
 * change-log row's `after.reason` (docs/security.md, "Leavers").
 */
export const leaverReasons = {
  /** Entra says `accountEnabled: false`: every live session ends. */
  entra_account_disabled: 'The account is disabled in Entra ID',
  /** `signInSessionsValidFromDateTime` is later than the session's start (Revoke sessions in Entra, a password reset): those sessions end. */
  entra_sessions_revoked: 'Sign-in sessions were revoked in Entra ID after the session began',
  /** Graph answers 404 `Request_ResourceNotFound` for the object ID: the user was deleted; every live session ends. */
  entra_user_deleted: 'The user no longer exists in Entra ID',
} as const;
export type LeaverReason = keyof typeof leaverReasons;

/** Users asked about per run; the next run goes on after the last one (round robin). */
export const LEAVER_USERS_PER_RUN = 1000;
/** Graph requests in flight at once. */
export const LEAVER_CONCURRENCY = 4;
/** How often the task looks whether an interval has passed. */
export const LEAVER_TICK_MS = 60_000;
/** One run gives up on Graph after this long. */
const RUN_TIME_LIMIT_MS = 120_000;

const SYSTEM: Actor = { kind: 'system', name: 'system' };
const userSchema = z.looseObject({ accountEnabled: z.boolean().nullable().optional(), signInSessionsValidFromDateTime: z.string().nullable().optional() });

interface Candidate {
  id: string;
  objectId: string;
  tenantId: string;
  displayName: string | null;
  username: string | null;
  email: string | null;
}

export interface LeaverRun {
  outcome: 'off' | 'not_configured' | 'done' | 'failed';
  checked: number;
  signedOut: Array<{ userId: string; reason: LeaverReason; sessions: number }>;
  reason?: GraphFailureReason | 'graph_credential_unreadable';
}

const cursorOf = (db: Db) => dbState<{ after: string }>(db, 'graph-leavers', () => ({ after: '' }));

/**
 * One leaver check: for users of the configured tenant with live sessions (at most
 * {@link LEAVER_USERS_PER_RUN}), asks `GET <graphHost>/v1.0/users/{oid}` for `accountEnabled`
 * and `signInSessionsValidFromDateTime`, {@link LEAVER_CONCURRENCY} at a time, and ends the
 * sessions Entra no longer stands behind, each user with one change-log row (actor system).
 * When Graph fails, no further user is asked and nobody is signed out on that failure's account.
 */
export async function checkLeavers(db: Db, now = Date.now()): Promise<LeaverRun> {
  // real time for the settings cache: `now` may be a test's later moment
  const s = getSettings(db).effective;
  const run: LeaverRun = { outcome: 'done', checked: 0, signedOut: [] };
  if (s.graphLeaverCheckMinutes <= 0) return { ...run, outcome: 'off' };
  let credential: GraphCredential | null;
  try {
    credential = s.graphHost ? activeGraphCredential(db) : null;
  } catch (err) {
    if (!(err instanceof GraphCredentialUnreadableError)) throw err;
    log.warn('leaver check skipped: the Microsoft Graph credential cannot be read', { reason: err.reason, detail: err.message });
    return { ...run, outcome: 'failed', reason: 'graph_credential_unreadable' };
  }
  if (!credential) {
    log.warn('leaver check skipped: no Microsoft Graph credential (or graphHost) is set', {});
    return { ...run, outcome: 'not_configured' };
  }
  const users = candidates(db, s.tenantId, now);
  const deadline = Date.now() + RUN_TIME_LIMIT_MS;
  // a holder, not a let: TypeScript does not see the workers assign it
  const stop: { failure: GraphRequestError | null } = { failure: null };
  let next = 0;
  const worker = async () => {
    while (!stop.failure && next < users.length) {
      const user = users[next++]!;
      try {
        const verdict = await askGraph(db, s, credential, user, deadline);
        run.checked++;
        if (verdict) {
          const ended = endSessions(db, user, verdict);
          if (ended > 0) run.signedOut.push({ userId: user.id, reason: verdict.reason, sessions: ended });
        }
      } catch (err) {
        if (!(err instanceof GraphRequestError)) throw err;
        stop.failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(LEAVER_CONCURRENCY, users.length) }, worker));
  const cursor = cursorOf(db);
  // a full page goes on after its last user next time; a short one starts over
  const failure = stop.failure;
  cursor.after = users.length === LEAVER_USERS_PER_RUN && !failure ? users.at(-1)!.id : failure ? cursor.after : '';
  if (run.signedOut.length) log.info('leaver check ended sessions', { users: run.signedOut.length, checked: run.checked });
  if (failure) {
    log.warn('leaver check stopped: Microsoft Graph did not answer; nobody else is signed out until the next interval', {
      reason: failure.reason,
      detail: failure.message,
      checked: run.checked,
    });
    return { ...run, outcome: 'failed', reason: failure.reason };
  }
  return run;
}

/** Users of the tenant with a live session, by ID after the cursor; a guest's row is in the resource tenant, as their token's `tid`. */
function candidates(db: Db, tenantId: string, now: number): Candidate[] {
  const sql = `SELECT u.id, u.object_id AS objectId, u.tenant_id AS tenantId, u.display_name AS displayName, u.username, u.email
    FROM users u WHERE u.tenant_id = ? AND u.id > ?
      AND EXISTS (SELECT 1 FROM sessions s WHERE s.user_id = u.id AND s.revoked_at IS NULL AND s.expires_at > ?)
    ORDER BY u.id LIMIT ?`;
  return statement(db, sql).all(tenantId, cursorOf(db).after, now, LEAVER_USERS_PER_RUN) as Candidate[];
}

type Verdict = { reason: LeaverReason; validFrom?: number };

async function askGraph(db: Db, s: EffectiveSettings, credential: GraphCredential, user: Candidate, deadline: number): Promise<Verdict | null> {
  const url = `${s.graphHost}/v1.0/users/${encodeURIComponent(user.objectId)}?$select=id,accountEnabled,signInSessionsValidFromDateTime`;
  const answer = await backgroundGraphCall(db, s, credential, url, { method: 'GET' }, deadline);
  // only Graph's own "no such object" counts as deleted: a 404 from a wrong host must not sign everyone out
  if (answer.status === 404 && graphErrorCode(answer) === 'Request_ResourceNotFound') return { reason: 'entra_user_deleted' };
  if (answer.status !== 200) throw backgroundFailure(answer);
  const parsed = userSchema.safeParse(answer.body);
  if (!parsed.success) throw new GraphRequestError('graph_bad_response', 'Microsoft Graph: the answer is not a user');
  if (parsed.data.accountEnabled === false) return { reason: 'entra_account_disabled' };
  const validFrom = parsed.data.signInSessionsValidFromDateTime ? Date.parse(parsed.data.signInSessionsValidFromDateTime) : NaN;
  return Number.isFinite(validFrom) ? { reason: 'entra_sessions_revoked', validFrom } : null;
}

/** Ends the sessions the verdict covers and writes the change-log row, in one transaction; returns how many ended. */
function endSessions(db: Db, user: Candidate, verdict: Verdict): number {
  const at = Date.now();
  return writeTransaction(db, () => {
    const live = and(eq(sessions.userId, user.id), isNull(sessions.revokedAt), gt(sessions.expiresAt, at));
    // Graph gives whole seconds: a session begun in the second of the revocation, before it, stays (docs/security.md)
    const covered = verdict.validFrom === undefined ? live : and(live, lt(sessions.createdAt, verdict.validFrom));
    const ended = db.update(sessions).set({ revokedAt: at, revokeReason: verdict.reason }).where(covered).run().changes;
    if (ended === 0) return 0;
    recordChange(
      db,
      SYSTEM,
      {
        action: 'user.entra_sign_out',
        targetType: 'user',
        targetId: user.id,
        after: {
          reason: verdict.reason,
          sessionsEnded: ended,
          ...(verdict.validFrom === undefined ? {} : { signInSessionsValidFrom: new Date(verdict.validFrom).toISOString() }),
        },
        comment: leaverReasons[verdict.reason],
        targetSnapshot: userTargetSnapshot(user),
      },
      at,
    );
    return ended;
  });
}

/**
 * The background task: every `tickMs` it runs {@link checkLeavers} when graphLeaverCheckMinutes
 * is on and that many minutes passed since the last run (failed runs included: Graph down is
 * retried at the next interval). One run at a time.
 */
export function leaversTask(opts: { tickMs?: number; clock?: () => number } = {}): BackgroundTask {
  const clock = opts.clock ?? Date.now;
  return {
    name: 'graph-leavers',
    once: true,
    start(db) {
      let running: Promise<unknown> | null = null;
      // the clock only paces the runs; each run reads real time for expiry
      let lastRunAt = -Infinity;
      const tick = () => {
        if (running) return;
        const now = clock();
        let minutes: number;
        try {
          minutes = getSettings(db).effective.graphLeaverCheckMinutes;
        } catch (err) {
          log.error('leaver check could not read the settings', { error: (err as Error).message });
          return;
        }
        if (minutes <= 0 || now - lastRunAt < minutes * 60_000) return;
        lastRunAt = now;
        running = checkLeavers(db)
          .catch((err: Error) => log.error('leaver check failed', { error: err.message }))
          .finally(() => {
            running = null;
          });
      };
      const timer = setInterval(tick, opts.tickMs ?? LEAVER_TICK_MS);
      timer.unref();
      return async () => {
        clearInterval(timer);
        await running;
      };
    },
  };
}
