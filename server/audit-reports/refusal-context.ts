import 'server-only';
import { desc, lte } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '@/db/client';
import type { groupRuleContextSchema, refusalContextSchema } from '@/server/audit/schemas';
import { settingsVersions } from '@/db/schema';
import { groupsByIds, membershipsOf } from '@/server/directory/groups';
import { getSettingsVersion } from '@/server/settings/service';
import { refusalGuidanceOf } from '@/server/audit/refusal-guidance';

/** Required groups against held groups, for a `group_required` refusal. */
export type GroupRuleContext = z.infer<typeof groupRuleContextSchema>;
/** Words and facts that explain one refused attempt (see {@link refusalContextSchema}). */
export type RefusalContext = z.infer<typeof refusalContextSchema>;

function versionInForce(db: Db, ts: number): number | null {
  const row = db
    .select({ version: settingsVersions.version })
    .from(settingsVersions)
    .where(lte(settingsVersions.createdAt, ts))
    .orderBy(desc(settingsVersions.version))
    .limit(1)
    .get();
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
