import 'server-only';
import { and, desc, eq, gt } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { changeEvents } from '@/db/schema';
import { writeTransaction } from '@/db/transaction';
import { recordChange, type Actor } from './changes';

/** A second `console.sign_in` of the same person this soon is the same sign-in (a reload, two tabs racing). */
export const CONSOLE_SIGN_IN_COALESCE_MS = 60_000;

export interface ConsoleAccessActor extends Actor {
  id: string;
  kind: 'entra' | 'local';
  roles: readonly string[];
}

/**
 * Records a sign-in to the console (`console.sign_in`) by the caller the server has just
 * authenticated; the client only says "now", never who. Returns false when the same person's
 * sign-in was recorded within {@link CONSOLE_SIGN_IN_COALESCE_MS} and not followed by a sign-out. Local admins' sign-ins are
 * already `breakglass.sign_in` rows, so they are not recorded twice.
 */
export function recordConsoleSignIn(db: Db, actor: ConsoleAccessActor, now = Date.now()): boolean {
  if (actor.kind === 'local') return false;
  return writeTransaction(db, () => {
    // the latest console event of this person in the window: a sign-in folds repeats (reloads, tabs),
    // a sign-out means this is a new sign-in
    const recent = db
      .select({ action: changeEvents.action })
      .from(changeEvents)
      .where(and(eq(changeEvents.targetType, 'console'), eq(changeEvents.targetId, actor.id), gt(changeEvents.ts, now - CONSOLE_SIGN_IN_COALESCE_MS)))
      .orderBy(desc(changeEvents.id))
      .limit(1)
      .get();
    if (recent?.action === 'console.sign_in') return false;
    recordChange(db, actor, { action: 'console.sign_in', targetType: 'console', targetId: actor.id, after: { via: 'entra', roles: [...actor.roles] } }, now);
    return true;
  });
}

/** Records a sign-out from the console (`console.sign_out`), Entra ID or local. */
export function recordConsoleSignOut(db: Db, actor: ConsoleAccessActor, now = Date.now()): void {
  writeTransaction(db, () =>
    recordChange(db, actor, { action: 'console.sign_out', targetType: 'console', targetId: actor.id, after: { via: actor.kind } }, now),
  );
}
