import 'server-only';
import { AppError } from '@/shared/error-model';

/** Typed errors of the audit module (shared/error-model.ts: reason and kind decide what both transports answer). */

/** An audit row or checkpoint that the caller asked for does not exist. */
export class AuditEventNotFoundError extends AppError {
  readonly code = 'ERR_AUDIT_NOT_FOUND';
  constructor(what: string, id: number) {
    super('not_found', 'audit_event_not_found', `${what} ${id} does not exist (it may have been purged by retention).`);
  }
}
