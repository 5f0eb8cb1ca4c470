import 'server-only';
import { desc, lte } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { settingsVersions } from '@/db/schema';
import { groupsByIds, membershipsOf, type GroupRef } from '@/server/directory/groups';
import { getSettingsVersion } from '@/server/settings/service';
import { refusalGuidanceOf } from '@/server/audit/refusal-guidance';

/** Required groups against held groups, for a `group_required` refusal. */
export interface GroupRuleContext {
  /** The settings version in force when the attempt was made, and its required groups (named where known). */
  settingsVersion: number | null;
  required: GroupRef[];
  /** The user's stored memberships (from their last accepted sign-in); null when the attempt has no known user. */
  held: GroupRef[] | null;
}

export interface RefusalContext {
  /** What an auditor should check, or null for accepted attempts and unknown reasons. */
  guidance: string | null;
  groupRule: GroupRuleContext | null;
}

function versionInForce(db: Db, ts: number): number | null {
  const row = db.select({ version: settingsVersions.version }).from(settingsVersions).where(lte(settingsVersions.createdAt, ts)).orderBy(desc(settingsVersions.version)).limit(1).get();
  return row?.version ?? null;
}

/** Words and facts that explain one refused attempt to an auditor. */
export function refusalContext(db: Db, event: { ts: number; reason: string | null; userId: string | null }): RefusalContext {
  const guidance = refusalGuidanceOf(event.reason);
  if (event.reason !== 'group_required') return { guidance, groupRule: null };
  const version = versionInForce(db, event.ts);
  const requiredIds = version !== null ? getSettingsVersion(db, version).document.requiredGroupIds : [];
  const known = new Map(groupsByIds(db, requiredIds).map((g) => [g.id, g.name]));
  const required = requiredIds.map((id) => ({ id, name: known.get(id) ?? null }));
  const held = event.userId ? membershipsOf(db, event.userId).map((g) => ({ id: g.id, name: g.name })) : null;
  return { guidance, groupRule: { settingsVersion: version, required, held } };
}
