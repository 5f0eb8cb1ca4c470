import 'server-only';
import type { Db } from '@/db/client';
import { listLoginEvents, type LoginEventListItem } from '@/server/audit/login-history';

/** A sign-in attempt from the login history, as the overview and a user's page show it. */
export type SignInItem = Omit<LoginEventListItem, 'tenantId' | 'objectId'>;

/** The latest sign-in attempts, newest first; of one user when `userId` is given. Read through the audit module's one history reader. */
export function recentSignIns(db: Db, options: { userId?: string; limit: number }): SignInItem[] {
  const filter = options.userId === undefined ? {} : { userId: options.userId };
  return listLoginEvents(db, filter, { limit: options.limit }).items.map(({ tenantId: _t, objectId: _o, ...item }) => item);
}
