import 'server-only';
import { desc } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { changeEvents } from '@/db/schema';
import { auditKey } from './key';
import { chainHash, GENESIS_HASH } from './chain';
import { latestCheckpoint } from './checkpoints';
import type { ChangeAction, ChangeTargetType } from '@/shared/change-actions';
import { TARGET_SNAPSHOT_KEY, type TargetSnapshot } from './change-target';

/** Who did something: a CLI user, the local break-glass admin, an Entra user, or the system. */
export interface Actor {
  kind: 'cli' | 'local' | 'entra' | 'system';
  /** Display name: user name, UPN, or `cli`. */
  name: string;
  /** Stable ID when there is one (local admin ID, Entra `<tenant ID>:<object ID>`): recorded beside the name. */
  id?: string;
  ip?: string | null;
}

export interface ChangeInput {
  action: ChangeAction;
  targetType: ChangeTargetType;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
  comment?: string | null;
  /** Who was changed, as they are now: kept in `after` so the log names them later (user targets). */
  targetSnapshot?: TargetSnapshot;
}

type ChangeRow = typeof changeEvents.$inferSelect;

/**
 * The fields covered by the chain hash, in their fixed order. `actorId` (added later) is
 * appended only when set: rows chained before it existed keep their hash, and setting it on
 * such a row changes what is hashed.
 */
export function changeHashFields(row: Omit<ChangeRow, 'id' | 'prevHash' | 'hash'>): unknown[] {
  const fields: unknown[] = [row.ts, row.actor, row.actorKind, row.action, row.targetType, row.targetId, row.before, row.after, row.comment, row.ip];
  if (row.actorId !== null) fields.push(row.actorId);
  return fields;
}

/**
 * Appends one change event to the change log. Call it inside the transaction that makes
 * the change, so that the change and its record commit together.
 */
export function recordChange(db: Db, actor: Actor, change: ChangeInput, now = Date.now()): ChangeRow {
  const prevHash = lastChangeHash(db);
  const after = change.targetSnapshot ? { ...(isObject(change.after) ? change.after : {}), [TARGET_SNAPSHOT_KEY]: change.targetSnapshot } : change.after;
  const row = {
    ts: now,
    actor: actor.name,
    actorKind: actor.kind,
    actorId: actor.id ? actor.id.slice(0, 200) : null,
    action: change.action,
    targetType: change.targetType,
    targetId: change.targetId ?? null,
    before: change.before === undefined ? null : JSON.stringify(change.before),
    after: after === undefined ? null : JSON.stringify(after),
    comment: change.comment ?? null,
    ip: actor.ip ?? null,
  };
  const hash = chainHash(auditKey(db), prevHash, changeHashFields(row));
  return db
    .insert(changeEvents)
    .values({ ...row, prevHash, hash })
    .returning()
    .get();
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function lastChangeHash(db: Db): string {
  const last = db.select({ hash: changeEvents.hash }).from(changeEvents).orderBy(desc(changeEvents.id)).limit(1).get();
  if (last) return last.hash;
  // no rows: the chain goes on from the head of the last retention purge, if any
  return latestCheckpoint(db, 'change')?.headHash ?? GENESIS_HASH;
}
