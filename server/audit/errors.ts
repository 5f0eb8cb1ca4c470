/** Typed errors of the audit module, with stable codes for the tRPC/CLI error mappers. */

/** The one page-cursor error of server/lib/paging.ts, under the name server/trpc/errors.ts maps. */
export { PageCursorError as AuditCursorError } from '@/server/lib/paging';

/** An audit row or checkpoint that the caller asked for does not exist. */
export class AuditEventNotFoundError extends Error {
  readonly code = 'ERR_AUDIT_NOT_FOUND';
  constructor(what: string, id: number) {
    super(`${what} ${id} does not exist (it may have been purged by retention).`);
    this.name = 'AuditEventNotFoundError';
  }
}
