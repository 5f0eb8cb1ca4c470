import 'server-only';
import { changeTargetTypeLabels, type ChangeTargetType } from '@/shared/change-actions';
import { z } from 'zod';
import type { Db } from '@/db/client';
import type { Actor } from '@/server/audit/changes';
import { describeChanges } from './change-display';
import { AuditEventNotFoundError } from '@/server/audit/errors';
import { encodeCursor, readPage, type PageInput, type TimeKeyset as Keyset } from '@/server/lib/paging';
import { statement } from '@/db/statements';
import { containsIgnoringCase, keysetPage, type AuditPage, type CompiledFilter } from '@/server/audit/sql';
import { timeFromSchema, timeToSchema } from '@/server/audit/time-range';
import { changeActorKinds, type changeEventDetailSchema, type changeEventListItemSchema } from '@/server/audit/schemas';

export const changeTargetTypes = Object.keys(changeTargetTypeLabels) as [ChangeTargetType, ...ChangeTargetType[]];
export { changeActorKinds } from '@/server/audit/schemas';

/**
 * Filters of the change log; given fields combine with AND. `action` is exact
 * (`settings.update`); `actor` matches part of the actor's name, case-insensitively.
 */
export const changeEventFilterSchema = z
  .object({
    from: timeFromSchema.optional(),
    to: timeToSchema.optional(),
    action: z.string().trim().min(1).max(64).optional(),
    targetType: z.enum(changeTargetTypes).optional(),
    targetId: z.string().trim().min(1).max(256).optional(),
    actor: z.string().trim().min(1).max(256).optional(),
    actorKind: z.enum(changeActorKinds).optional(),
  })
  .strict();
export type ChangeEventFilterInput = z.input<typeof changeEventFilterSchema>;
export type ChangeEventFilter = z.output<typeof changeEventFilterSchema>;

/** One change as the change-log table shows it: who, when, what, and what changed (see {@link changeEventListItemSchema}). */
export type ChangeEventListItem = z.infer<typeof changeEventListItemSchema>;
/** The detail panel: the whole before and after documents too, and the chain hashes when asked. */
export type ChangeEventDetail = z.infer<typeof changeEventDetailSchema>;

interface ChangeRow {
  id: number;
  ts: number;
  actor: string;
  actorKind: Actor['kind'];
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before: string | null;
  after: string | null;
  comment: string | null;
  ip: string | null;
}

const CHANGE_COLUMNS =
  'id, ts, actor, actor_kind AS actorKind, actor_id AS actorId, action, target_type AS targetType, target_id AS targetId, before, after, comment, ip';

/** The change log is small (one row per admin action), so only its own three indexes are needed. */
export function compileChangeFilter(filter: ChangeEventFilter): CompiledFilter {
  const where: string[] = [];
  const params: unknown[] = [];
  let index: string | null = null;
  if (filter.targetType !== undefined || filter.targetId !== undefined) {
    index = 'change_events_target_idx';
    if (filter.targetType !== undefined) {
      where.push('target_type = ?');
      params.push(filter.targetType);
    } else {
      // the index starts with target_type: name every type so the target ID can still seek
      where.push(`target_type IN (${changeTargetTypes.map(() => '?').join(',')})`);
      params.push(...changeTargetTypes);
    }
    if (filter.targetId !== undefined) {
      where.push('target_id = ?');
      params.push(filter.targetId);
    }
  }
  if (filter.action !== undefined) {
    index ??= 'change_events_action_ts_idx';
    where.push('action = ?');
    params.push(filter.action);
  }
  if (filter.actorKind !== undefined) {
    where.push('actor_kind = ?');
    params.push(filter.actorKind);
  }
  if (filter.actor !== undefined) {
    const contains = containsIgnoringCase('actor', filter.actor);
    where.push(contains.sql);
    params.push(contains.param);
  }
  if (filter.from !== undefined) {
    where.push('ts >= ?');
    params.push(filter.from);
  }
  if (filter.to !== undefined) {
    where.push('ts < ?');
    params.push(filter.to);
  }
  return { index: index ?? 'change_events_ts_idx', where, params };
}

const parseJson = (text: string | null): unknown => {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};

function toDetails(db: Db, rows: ChangeRow[]): ChangeEventDetail[] {
  const parsed = rows.map((row) => ({ ...row, ...entraIds(row), before: parseJson(row.before), after: parseJson(row.after) }));
  const display = describeChanges(db, parsed);
  return parsed.map((row, i) => ({ ...row, ...display[i]! }));
}

/** Tenant and object ID of an Entra actor, from its `tid:oid` ID. */
export function entraIds(row: { actorKind: string; actorId: string | null }): { actorTenantId: string | null; actorObjectId: string | null } {
  const m = row.actorKind === 'entra' && row.actorId ? /^([^:]+):([^:]+)$/.exec(row.actorId) : null;
  return { actorTenantId: m?.[1] ?? null, actorObjectId: m?.[2] ?? null };
}

function toListItems(db: Db, rows: ChangeRow[]): ChangeEventListItem[] {
  return toDetails(db, rows).map(({ before: _before, after: _after, ...item }) => item);
}

/**
 * One page of the change log, newest first, filtered; keyset paging as in
 * {@link listLoginEvents}. Throws zod's error on a bad filter and PageCursorError on a bad cursor.
 */
export function listChangeEvents(db: Db, filter: ChangeEventFilterInput = {}, page: PageInput = {}): AuditPage<ChangeEventListItem> {
  const compiled = compileChangeFilter(changeEventFilterSchema.parse(filter));
  const { after, limit } = readPage('changes', page);
  const { rows, next } = keysetPage<ChangeRow>(db, 'change_events', CHANGE_COLUMNS, compiled, after, limit);
  return { items: toListItems(db, rows), nextCursor: next ? encodeCursor('changes', next) : null, searchedBackTo: null };
}

/** One change event with its whole before/after; throws {@link AuditEventNotFoundError}. */
export function getChangeEvent(db: Db, id: number, options: { includeChain?: boolean } = {}): ChangeEventDetail {
  const row = statement(db, `SELECT ${CHANGE_COLUMNS}, prev_hash AS prevHash, hash FROM change_events WHERE id = ?`).get(id) as
    (ChangeRow & { prevHash: string; hash: string }) | undefined;
  if (!row) throw new AuditEventNotFoundError('Change event', id);
  const { prevHash, hash, ...rest } = row;
  return { ...toDetails(db, [rest])[0]!, ...(options.includeChain ? { prevHash, hash } : {}) };
}

/** Export rows: before and after as the JSON text that was recorded, and the target in words. */
export type ChangeEventExportRow = ChangeRow & { targetName: string | null };

/** Every row a filter selects, in list order, page by page (flat memory). */
export function* changeEventPages(db: Db, filter: ChangeEventFilterInput, pageSize = 1000): Generator<ChangeEventExportRow[]> {
  const compiled = compileChangeFilter(changeEventFilterSchema.parse(filter));
  let after: Keyset | null = null;
  do {
    const page: { rows: ChangeRow[]; next: Keyset | null } = keysetPage(db, 'change_events', CHANGE_COLUMNS, compiled, after, pageSize);
    if (page.rows.length) {
      const display = describeChanges(
        db,
        page.rows.map((r) => ({ ...r, before: parseJson(r.before), after: parseJson(r.after) })),
      );
      yield page.rows.map((r, i) => ({ ...r, targetName: display[i]!.targetName }));
    }
    after = page.next;
  } while (after);
}
