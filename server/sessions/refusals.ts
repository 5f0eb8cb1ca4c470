import 'server-only';
import type { Db } from '@/db/client';
import { writeTransaction } from '@/db/transaction';
import { recordLoginEvent } from '@/server/audit/logins';
import { reasons, type ReasonCode } from '@/server/entra/reasons';
import { log } from '@/server/lib/log';
import { countRefusal } from './rate-limit';

/** History row for a login request refused before any token could be read (missing, malformed, too large). */
export function recordRefusedRequest(db: Db, reason: ReasonCode, ip: string | null, userAgent: string | null, now = Date.now()): void {
  try {
    writeTransaction(db, () => recordLoginEvent(db, { outcome: 'refused', reason, status: reasons[reason].status, ip, userAgent }, now));
  } catch (err) {
    // Stryker disable next-line StringLiteral,ObjectLiteral: log wording, not behaviour (tests run with LOG_LEVEL=silent)
    log.error('could not record refused login', { error: (err as Error).message });
  }
  countRefusal(ip, now);
}
