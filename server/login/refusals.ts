import 'server-only';
import type { Db } from '@/db/client';
import { writeTransaction } from '@/db/transaction';
import { summariseLoginRefusal } from '@/server/audit/login-summaries';
import { recordLoginEvent } from '@/server/audit/logins';
import { reasons, type ReasonCode } from '@/shared/login-reasons';
import { log } from '@/server/lib/log';
import { getSettings } from '@/server/settings/service';
import { countRefusal, retryAfterSeconds } from '@/server/sessions/rate-limit';

/**
 * History for a login request refused before any token could be read (missing, malformed, too
 * large): its own row while the address is under the rate limit, and beyond the limit counted
 * into the address's summary row for this reason (server/audit/login-summaries.ts), so that a
 * flood of garbage cannot fill the history. Never throws.
 */
export function recordRefusedRequest(db: Db, reason: ReasonCode, ip: string | null, userAgent: string | null, now = Date.now()): void {
  const status = reasons[reason].status;
  try {
    const limited = retryAfterSeconds(db, ip, getSettings(db, now).effective.loginRateLimitPerMinute, now) > 0;
    if (limited) summariseLoginRefusal(db, { reason, status, ip, userAgent }, now);
    else writeTransaction(db, () => recordLoginEvent(db, { outcome: 'refused', reason, status, ip, userAgent }, now));
  } catch (err) {
    // Stryker disable next-line StringLiteral,ObjectLiteral: log wording, not behaviour (tests run with LOG_LEVEL=silent)
    log.error('could not record refused login', { error: (err as Error).message });
  }
  countRefusal(db, ip, now);
}
