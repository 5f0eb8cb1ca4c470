import 'server-only';
import { z } from 'zod';
import { dbState, type Db } from '@/db/client';
import { statement } from '@/db/statements';
import { writeTransaction } from '@/db/transaction';
import type { BackgroundTask } from '@/server/background';
import { log } from '@/server/lib/log';
import { GraphCredentialUnreadableError } from '@/server/settings/errors';
import { activeGraphCredential } from '@/server/settings/graph-credential';
import { getSettings } from '@/server/settings/service';
import { backgroundFailure, backgroundGraphCall } from './background-request';
import { GraphRequestError, type GraphFailureReason } from './errors';

/** A name read from Graph is not asked for again for this long. */
export const GROUP_NAME_MAX_AGE_MS = 24 * 3600_000;
/** How often the task looks for groups without a fresh name: a group a sign-in imported is named within about this long. */
export const GROUP_NAMES_TICK_MS = 5_000;
/** `directoryObjects/getByIds` takes at most 1000 IDs a call. */
export const GET_BY_IDS_MAX = 1000;
/** Calls per run: at most 5,000 groups are named in one run, the rest in the next ones. */
export const GROUP_NAME_CALLS_PER_RUN = 5;
/** One run gives up on Graph after this long. */
const RUN_TIME_LIMIT_MS = 20_000;
/** Back-off after a failed run: doubles from the first value up to the last, or Graph's `Retry-After` when longer. */
export const GROUP_NAMES_BACKOFF_MS = { first: 30_000, max: 30 * 60_000 } as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const answerSchema = z.object({ value: z.array(z.looseObject({ id: z.string(), displayName: z.string().nullable().optional() })).max(GET_BY_IDS_MAX) });

export type GroupNamesRun =
  | { outcome: 'off' | 'not_configured' | 'backing_off' | 'nothing_due' }
  | { outcome: 'done'; asked: number; named: number }
  | { outcome: 'failed'; reason: GraphFailureReason | 'graph_credential_unreadable'; asked: number; named: number; retryAt: number };

interface BackOff {
  failures: number;
  retryAt: number;
}
const backOffOf = (db: Db) => dbState<BackOff>(db, 'graph-group-names', () => ({ failures: 0, retryAt: 0 }));

/**
 * One run: when graphGroupNames is on and a Graph credential is set, asks
 * `POST <graphHost>/v1.0/directoryObjects/getByIds` for the names of groups never asked about
 * (new from a sign-in) or asked over {@link GROUP_NAME_MAX_AGE_MS} ago, in batches of
 * {@link GET_BY_IDS_MAX}, at most {@link GROUP_NAME_CALLS_PER_RUN} calls. Names go to
 * `graph_name` only: an admin's `display_name` is never touched. A group Graph does not know
 * keeps the last name it had. After a failure the task backs off (logged without secrets).
 */
export async function refreshGroupNames(db: Db, now = Date.now()): Promise<GroupNamesRun> {
  // real time for the settings cache: `now` may be a test's later moment
  const s = getSettings(db).effective;
  if (!s.graphGroupNames) return { outcome: 'off' };
  if (!s.graphHost) return { outcome: 'not_configured' };
  const backOff = backOffOf(db);
  if (now < backOff.retryAt) return { outcome: 'backing_off' };
  const due = statement(
    db,
    'SELECT id FROM groups WHERE graph_name_checked_at IS NULL OR graph_name_checked_at <= ? ORDER BY graph_name_checked_at IS NOT NULL, graph_name_checked_at, id LIMIT ?',
  );
  const mark = statement(db, 'UPDATE groups SET graph_name = coalesce(?, graph_name), graph_name_checked_at = ? WHERE id = ?');
  let asked = 0;
  let named = 0;
  try {
    const credential = activeGraphCredential(db);
    if (!credential) return { outcome: 'not_configured' };
    const deadline = Date.now() + RUN_TIME_LIMIT_MS;
    for (let call = 0; call < GROUP_NAME_CALLS_PER_RUN; call++) {
      const ids = (due.all(now - GROUP_NAME_MAX_AGE_MS, GET_BY_IDS_MAX) as Array<{ id: string }>).map((r) => r.id);
      if (ids.length === 0) break;
      // an ID that is not a GUID would make Graph refuse the whole batch: marked as asked, never sent
      const sendable = ids.filter((id) => GUID.test(id));
      const names = new Map<string, string>();
      if (sendable.length > 0) {
        const answer = await backgroundGraphCall(
          db,
          s,
          credential,
          `${s.graphHost}/v1.0/directoryObjects/getByIds`,
          { method: 'POST', body: { ids: sendable, types: ['group'] } },
          deadline,
        );
        if (answer.status !== 200) throw backgroundFailure(answer);
        const parsed = answerSchema.safeParse(answer.body);
        if (!parsed.success) throw new GraphRequestError('graph_bad_response', 'Microsoft Graph: the getByIds answer is not a list of objects');
        const wanted = new Set(sendable);
        for (const o of parsed.data.value) {
          const id = o.id.toLowerCase();
          if (wanted.has(id) && typeof o.displayName === 'string' && o.displayName.trim()) names.set(id, o.displayName.trim().slice(0, 256));
        }
      }
      // stamped with the run's time: a group asked in this run is never due again within it
      writeTransaction(db, () => {
        for (const id of ids) mark.run(names.get(id) ?? null, now, id);
      });
      asked += sendable.length;
      named += names.size;
      if (ids.length < GET_BY_IDS_MAX) break;
    }
    backOff.failures = 0;
    backOff.retryAt = 0;
    return asked === 0 && named === 0 ? { outcome: 'nothing_due' } : { outcome: 'done', asked, named };
  } catch (err) {
    if (!(err instanceof GraphRequestError) && !(err instanceof GraphCredentialUnreadableError)) throw err;
    backOff.failures++;
    const doubled = Math.min(GROUP_NAMES_BACKOFF_MS.max, GROUP_NAMES_BACKOFF_MS.first * 2 ** (backOff.failures - 1));
    const advised = (err.retryAfterSeconds ?? 0) * 1000;
    backOff.retryAt = now + Math.min(GROUP_NAMES_BACKOFF_MS.max, Math.max(doubled, advised));
    const reason = err.reason as GraphFailureReason | 'graph_credential_unreadable';
    log.warn('group names: Microsoft Graph did not answer; backing off', {
      reason,
      detail: err.message,
      retryInSeconds: Math.round((backOff.retryAt - now) / 1000),
    });
    return { outcome: 'failed', reason, asked, named, retryAt: backOff.retryAt };
  }
}

/** The background task: {@link refreshGroupNames} every `tickMs` (default {@link GROUP_NAMES_TICK_MS}), one run at a time. */
export function groupNamesTask(opts: { tickMs?: number } = {}): BackgroundTask {
  return {
    name: 'graph-group-names',
    once: true,
    start(db) {
      let running: Promise<unknown> | null = null;
      const run = () => {
        if (running) return;
        running = refreshGroupNames(db)
          .catch((err: Error) => log.error('group names task failed', { error: err.message }))
          .finally(() => {
            running = null;
          });
      };
      const timer = setInterval(run, opts.tickMs ?? GROUP_NAMES_TICK_MS);
      timer.unref();
      return async () => {
        clearInterval(timer);
        await running;
      };
    },
  };
}
