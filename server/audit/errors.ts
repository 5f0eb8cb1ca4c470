import 'server-only';
/** Typed errors of the audit module, with stable codes for the tRPC/CLI error mappers. */

/** A page cursor that this server did not issue (or issued for another ordering). */
export class AuditCursorError extends Error {
  readonly code = 'ERR_AUDIT_CURSOR';
  constructor(message = 'The page cursor is not valid. Start again from the first page.') {
    super(message);
    this.name = 'AuditCursorError';
  }
}

/** An audit row or checkpoint that the caller asked for does not exist. */
export class AuditEventNotFoundError extends Error {
  readonly code = 'ERR_AUDIT_NOT_FOUND';
  constructor(what: string, id: number) {
    super(`${what} ${id} does not exist (it may have been purged by retention).`);
    this.name = 'AuditEventNotFoundError';
  }
}
