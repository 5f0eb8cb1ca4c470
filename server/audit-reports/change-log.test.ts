import { describe, expect, it } from 'vitest';
import { changeEvents } from '@/db/schema';
import { writeTransaction } from '@/db/transaction';
import { diffChange } from '@/server/audit/change-diff';
import { changeEventFilterSchema, compileChangeFilter, getChangeEvent, listChangeEvents, type ChangeEventFilterInput } from './change-log';
import { recordChange, type Actor } from '@/server/audit/changes';
import { explainPage } from '@/server/audit/sql';
import { BASE, freshDb } from '@/server/audit/test-fixtures';
import { onPostgres } from '@/test/support/test-database';

const { db } = freshDb();
const actors: Actor[] = [
  { kind: 'local', name: 'admin', ip: '10.1.1.1' },
  { kind: 'entra', name: 'zoë@contoso.com', id: 't:o' },
  { kind: 'cli', name: 'cli' },
];
writeTransaction(db, () => {
  for (let i = 0; i < 90; i++) {
    const actor = actors[i % 3]!;
    const kind = i % 4;
    recordChange(
      db,
      actor,
      kind === 0
        ? {
            action: 'settings.update',
            targetType: 'settings',
            targetId: String(i),
            before: { tenantId: 'a', enabled: false },
            after: { tenantId: 'a', enabled: true },
            comment: i === 4 ? 'go live, "finally"' : null,
          }
        : kind === 1
          ? { action: 'user.disable', targetType: 'user', targetId: `user-${i % 5}`, before: { status: 'active' }, after: { status: 'disabled' } }
          : kind === 2
            ? { action: 'group.update', targetType: 'group', targetId: `group-${i % 3}`, before: { name: null }, after: { name: 'Dispatch' } }
            : { action: 'breakglass.sign_in', targetType: 'local_admin', targetId: 'admin' },
      BASE + Math.floor(i / 4) * 1000,
    );
  }
});
const all = db
  .select()
  .from(changeEvents)
  .all()
  .sort((a, b) => b.ts - a.ts || b.id - a.id);

function reference(f: ChangeEventFilterInput): number[] {
  const p = changeEventFilterSchema.parse(f);
  return all
    .filter(
      (r) =>
        (p.from === undefined || r.ts >= p.from) &&
        (p.to === undefined || r.ts < p.to) &&
        (p.action === undefined || r.action === p.action) &&
        (p.targetType === undefined || r.targetType === p.targetType) &&
        (p.targetId === undefined || r.targetId === p.targetId) &&
        (p.actorKind === undefined || r.actorKind === p.actorKind) &&
        (p.actor === undefined || r.actor.toLowerCase().includes(p.actor.toLowerCase())),
    )
    .map((r) => r.id);
}

function walk(f: ChangeEventFilterInput, limit: number): number[] {
  const ids: number[] = [];
  let cursor: string | null = null;
  do {
    const page: ReturnType<typeof listChangeEvents> = listChangeEvents(db, f, { cursor, limit });
    ids.push(...page.items.map((i) => i.id));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

describe('change log list', () => {
  const filters: Array<[string, ChangeEventFilterInput]> = [
    ['no filter', {}],
    ['an action', { action: 'user.disable' }],
    ['a target type', { targetType: 'group' }],
    ['a target', { targetType: 'user', targetId: 'user-3' }],
    ['a target ID alone', { targetId: 'admin' }],
    ['an actor, in part and any case', { actor: 'ZOË@' }],
    ['an actor kind', { actorKind: 'cli' }],
    ['a time range', { from: BASE + 5000, to: BASE + 12_000 }],
    ['an action in a time range by one actor', { action: 'settings.update', from: BASE + 2000, actor: 'admin' }],
  ];

  it.each(filters)('gives the rows of a plain query across pages of 4 with ties in time: %s', (_name, f) => {
    const expected = reference(f);
    expect(expected.length).toBeGreaterThan(0);
    expect(walk(f, 4)).toEqual(expected);
  });

  // SQLite's query planner (PostgreSQL plans for itself: docs/decisions.md, "PostgreSQL at run time")
  it.skipIf(onPostgres).each(filters)('uses an index, never a table scan: %s', (_name, f) => {
    const plan = explainPage(db, 'change_events', 'id, ts', compileChangeFilter(changeEventFilterSchema.parse(f)), true).join('\n');
    expect(plan).toMatch(/(SEARCH|SCAN) change_events USING (COVERING )?INDEX change_events_\w+/);
    expect(plan).not.toMatch(/SCAN change_events(?! USING)/);
  });

  it('shows who changed what, when, and exactly which values changed', () => {
    const item = listChangeEvents(db, { action: 'settings.update', actor: 'admin' }, { limit: 50 }).items.at(-1)!;
    expect(item).toMatchObject({ actor: 'admin', actorKind: 'local', targetType: 'settings', targetId: '0', ip: '10.1.1.1' });
    expect(item.diff).toEqual([{ path: 'enabled', label: 'SSO enabled', before: false, after: true }]);
    expect(item).not.toHaveProperty('before');
    const detail = getChangeEvent(db, item.id, { includeChain: true });
    expect(detail).toMatchObject({ before: { tenantId: 'a', enabled: false }, after: { tenantId: 'a', enabled: true } });
    expect(detail.hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('diffChange', () => {
  it('recurses into objects, compares lists whole, and reports created and removed values', () => {
    expect(diffChange({ a: 1, b: { c: [1, 2], d: 'x' } }, { a: 1, b: { c: [1, 3], d: 'x' }, e: true })).toEqual([
      { path: 'b.c', before: [1, 2], after: [1, 3] },
      { path: 'e', before: null, after: true },
    ]);
    expect(diffChange(null, { name: 'Dispatch' })).toEqual([{ path: '', before: null, after: { name: 'Dispatch' } }]);
    expect(diffChange({ same: 1 }, { same: 1 })).toEqual([]);
  });
});
