import 'server-only';
import { inArray } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '@/db/client';
import type { changeDisplaySchema, labelledDiffEntrySchema } from '@/server/audit/schemas';
import { groups, users } from '@/db/schema';
import { settingsFields } from '@/server/settings/fields';
import { getSettings } from '@/server/settings/service';
import { changeActionLabel } from '@/shared/change-actions';
import { diffChange } from '@/server/audit/change-diff';
import { TARGET_SNAPSHOT_KEY, targetSnapshotOf, userTargetName } from '@/server/audit/change-target';

/** A changed value with words for auditors (see {@link labelledDiffEntrySchema}). */
export type LabelledDiffEntry = z.infer<typeof labelledDiffEntrySchema>;
/** What the change log shows of one change beside the raw before/after (see {@link changeDisplaySchema}). */
export type ChangeDisplay = z.infer<typeof changeDisplaySchema>;

/** Actions whose before/after is an edit of values (a diff reads well); the rest are events told as sentences. */
const EDIT_ACTIONS = new Set(['settings.update', 'settings.revert', 'group.update', 'user.disable', 'user.enable']);

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function withoutSnapshot(value: unknown): unknown {
  if (!isObject(value) || !(TARGET_SNAPSHOT_KEY in value)) return value;
  const { [TARGET_SNAPSHOT_KEY]: _snapshot, ...rest } = value;
  return rest;
}

const groupWords: Record<string, string> = {
  displayName: 'Display name',
  assignmentGroup: 'Assignment group',
  status: 'Status',
  sessionsRevoked: 'Sessions revoked',
};

function labelOf(targetType: string, path: string): string {
  const top = path.split('.')[0] ?? path;
  if (targetType === 'settings' && top in settingsFields) {
    const label = (settingsFields as Record<string, { label: string }>)[top]!.label;
    return top === path ? label : `${label} (${path.slice(top.length + 1)})`;
  }
  return groupWords[path] ?? (path || 'Value');
}

const quoted = (v: unknown) => (typeof v === 'string' ? `“${v}”` : JSON.stringify(v));

function filterWords(filter: unknown): string {
  if (!isObject(filter)) return '';
  const parts = Object.entries(filter)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k} = ${String(v)}`);
  return parts.length ? `, filtered by ${parts.join(', ')}` : ', unfiltered';
}

/** One sentence about an event, from its recorded data; unknown actions list their data as "key: value". */
function summaryOf(action: string, targetName: string | null, after: unknown, roleWords: (roles: unknown) => string): string {
  const a = isObject(after) ? after : {};
  switch (action) {
    case 'breakglass.sign_in':
      return `The local administrator signed in ${a.via === 'setup link' ? 'through a one-time setup link' : 'with a password'}.`;
    case 'breakglass.setup':
      return `Local administrator ${quoted(a.username)} created through a one-time setup link.`;
    case 'breakglass.password_reset':
      return `Password of local administrator ${quoted(a.username)} reset through a one-time setup link; their other sessions were ended.`;
    case 'breakglass.link_issued':
      return `A one-time setup link was issued${a.purpose === 'reset' ? ' (admin reset from the command line)' : ' at first start'}, valid until ${String(a.expiresAt)} (UTC).`;
    case 'audit.export':
      return `Exported the ${targetName === 'changes' ? 'change log' : 'login history'} as ${a.format === 'jsonl' ? 'JSON lines' : 'CSV'}${filterWords(a.filter)}.`;
    case 'audit.purge': {
      const login = isObject(a.login) ? a.login : {};
      const change = isObject(a.change) ? a.change : {};
      return `Retention (${String(a.retentionDays)} days) purged ${String(login.purged ?? 0)} login events and ${String(change.purged ?? 0)} change events older than ${String(a.cutoff)} (UTC).`;
    }
    case 'console.sign_in':
      return `Signed in to the console with ${a.via === 'local' ? 'the local break-glass account' : 'Microsoft Entra ID'}${roleWords(a.roles)}.`;
    case 'console.sign_out':
      return 'Signed out of the console.';
    default: {
      const entries = Object.entries(a).filter(([k]) => k !== TARGET_SNAPSHOT_KEY);
      const data = entries.map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join('; ');
      return `${changeActionLabel(action)}${data ? ` (${data})` : ''}.`;
    }
  }
}

function roleWords(roles: unknown): string {
  if (!Array.isArray(roles)) return '';
  if (roles.length === 0) return ' (no console role)';
  return ` as ${roles.map((r) => (r === 'admin' ? 'admin' : r === 'auditor' ? 'auditor' : String(r))).join(' and ')}`;
}

function guidsIn(value: unknown, into: Set<string>): void {
  if (typeof value === 'string' && GUID.test(value)) into.add(value.toLowerCase());
  else if (Array.isArray(value)) for (const v of value) guidsIn(v, into);
}

export interface ChangeDisplayRow {
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
}

/**
 * Words for a page of change rows: target names (the snapshot written with the change,
 * else the user's or group's current name), settings labels, GUIDs named, sentences for
 * events. Reads the users and groups a page names in two queries.
 */
export function describeChanges(db: Db, rows: readonly ChangeDisplayRow[]): ChangeDisplay[] {
  const userIds = new Set<string>();
  const groupIds = new Set<string>();
  const diffs = rows.map((r) => {
    const before = withoutSnapshot(r.before);
    const after = withoutSnapshot(r.after);
    if (!EDIT_ACTIONS.has(r.action)) return [];
    // a creation (nothing before) diffs against an empty document, not "(whole): (none) → {...}"
    return diffChange(isObject(after) && before === null ? {} : before, isObject(before) && after === null ? {} : after);
  });
  rows.forEach((r, i) => {
    if (r.targetType === 'user' && r.targetId && !targetSnapshotOf(r.after, r.before)) userIds.add(r.targetId);
    if (r.targetType === 'group' && r.targetId) groupIds.add(r.targetId);
    for (const d of diffs[i]!) {
      guidsIn(d.before, groupIds);
      guidsIn(d.after, groupIds);
    }
  });
  const userNames = new Map<string, string>();
  if (userIds.size) {
    const found = db
      .select({
        id: users.id,
        displayName: users.displayName,
        username: users.username,
        email: users.email,
        objectId: users.objectId,
        tenantId: users.tenantId,
      })
      .from(users)
      .where(inArray(users.id, [...userIds]))
      .all();
    for (const u of found)
      userNames.set(u.id, userTargetName({ displayName: u.displayName, upn: u.username ?? u.email, objectId: u.objectId, tenantId: u.tenantId }));
  }
  const names: Record<string, string> = {};
  if (groupIds.size) {
    const found = db
      .select({ id: groups.id, name: groups.displayName })
      .from(groups)
      .where(inArray(groups.id, [...groupIds]))
      .all();
    for (const g of found) if (g.name) names[g.id.toLowerCase()] = g.name;
  }
  const clientId = getSettings(db).effective.clientId;
  if (clientId) names[clientId.toLowerCase()] ??= 'ICE Server app (this server’s client ID)';

  return rows.map((r, i) => {
    const snapshot = targetSnapshotOf(r.after, r.before);
    const targetName =
      r.targetType === 'user'
        ? snapshot
          ? userTargetName(snapshot)
          : ((r.targetId && userNames.get(r.targetId)) ?? null)
        : r.targetType === 'group' && r.targetId
          ? (names[r.targetId.toLowerCase()] ?? null)
          : r.targetType === 'audit'
            ? r.targetId
            : null;
    const diff = diffs[i]!.map((d) => ({ ...d, label: labelOf(r.targetType, d.path) }));
    const own: Record<string, string> = {};
    const seen = new Set<string>();
    for (const d of diff) {
      guidsIn(d.before, seen);
      guidsIn(d.after, seen);
    }
    for (const id of seen) if (names[id]) own[id] = names[id];
    const summary = EDIT_ACTIONS.has(r.action) ? editSummary(r.action, targetName, diff, r.after) : summaryOf(r.action, r.targetId, r.after, roleWords);
    return { targetName: r.targetType === 'audit' ? null : targetName, target: snapshot, summary, diff, names: own };
  });
}

/** A sentence for edits where one says more than the diff (a user disabled, sessions revoked); null otherwise. */
function editSummary(action: string, targetName: string | null, diff: LabelledDiffEntry[], after: unknown): string | null {
  const who = targetName ?? 'the user';
  if (action === 'user.disable') {
    const revoked = isObject(after) && typeof after.sessionsRevoked === 'number' ? after.sessionsRevoked : null;
    return `Disabled ${who}${revoked !== null ? `; ${revoked} active session${revoked === 1 ? '' : 's'} revoked` : ''}.`;
  }
  if (action === 'user.enable') return `Enabled ${who}.`;
  if (action === 'settings.update' || action === 'settings.revert') {
    const labels = diff.map((d) => d.label);
    const verb = action === 'settings.revert' ? 'Restored an earlier version' : 'Saved the settings';
    return labels.length ? `${verb}: ${labels.join(', ')} changed.` : `${verb}; no value changed.`;
  }
  return null;
}
