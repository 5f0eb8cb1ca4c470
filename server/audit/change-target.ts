import 'server-only';
import type { z } from 'zod';
import type { targetSnapshotSchema } from './schemas';

/**
 * Who a change was made to, as it was when the change was written: stored in the change
 * row's `after` document under {@link TARGET_SNAPSHOT_KEY}, so the change log still names a
 * user after they are renamed or deleted. Pure: the console formats it the same way.
 */
export const TARGET_SNAPSHOT_KEY = '_target';

export type TargetSnapshot = z.infer<typeof targetSnapshotSchema>;

/** The snapshot a user's row gives. */
export function userTargetSnapshot(user: {
  displayName: string | null;
  username: string | null;
  email: string | null;
  objectId: string;
  tenantId: string;
}): TargetSnapshot {
  return { displayName: user.displayName, upn: user.username ?? user.email, objectId: user.objectId, tenantId: user.tenantId };
}

/** "Megan Bowen · megan@contoso.example · object ID 4a8e…" (whatever is known). */
export function userTargetName(s: TargetSnapshot): string {
  return [s.displayName, s.upn, `object ID ${s.objectId}`].filter(Boolean).join(' · ');
}

const isSnapshot = (v: unknown): v is TargetSnapshot =>
  typeof v === 'object' && v !== null && typeof (v as TargetSnapshot).objectId === 'string' && typeof (v as TargetSnapshot).tenantId === 'string';

/** The snapshot recorded in a change's after (or before) document, if any. */
export function targetSnapshotOf(...docs: unknown[]): TargetSnapshot | null {
  for (const doc of docs) {
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) continue;
    const s = (doc as Record<string, unknown>)[TARGET_SNAPSHOT_KEY];
    if (isSnapshot(s)) return { displayName: s.displayName ?? null, upn: s.upn ?? null, objectId: s.objectId, tenantId: s.tenantId };
  }
  return null;
}
