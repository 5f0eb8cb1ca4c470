import 'server-only';
import type { Db } from '@/db/client';
import { statement } from '@/db/statements';

import type { DirectoryCounts } from './schemas';
export type { DirectoryCounts } from './schemas';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The overview's counts: index-only queries, a few milliseconds at 100,000 users. */
export function directoryCounts(db: Db, now = Date.now()): DirectoryCounts {
  const byStatus = statement(db, 'SELECT status, count(*) AS n FROM users INDEXED BY users_status_idx GROUP BY status').all() as Array<{
    status: string;
    n: number;
  }>;
  const active = byStatus.find((r) => r.status === 'active')?.n ?? 0;
  const disabled = byStatus.find((r) => r.status === 'disabled')?.n ?? 0;
  const groups = (statement(db, 'SELECT count(*) AS n FROM groups').get() as { n: number }).n;
  const since = now - DAY_MS;
  const outcome = statement(db, 'SELECT count(*) AS n FROM login_events INDEXED BY login_events_outcome_ts_idx WHERE outcome = ? AND ts >= ? AND ts < ?');
  return {
    users: { total: active + disabled, active, disabled },
    groups,
    signIns24h: signIns((outcome.get('accepted', since, now) as { n: number }).n, (outcome.get('refused', since, now) as { n: number }).n),
  };
}

const signIns = (accepted: number, refused: number) => ({ attempts: accepted + refused, accepted, refused });
