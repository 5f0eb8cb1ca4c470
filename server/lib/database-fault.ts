import 'server-only';
import { AppError } from '@/shared/error-model';

/**
 * SQLite result codes (better-sqlite3's `SqliteError.code`, extended codes included) that mean
 * the database cannot be used right now: locked past the busy timeout, an I/O error, the file
 * gone, read-only, full or damaged. Constraint violations, misuse and schema errors are bugs,
 * not outages, and stay 500s.
 */
const SQLITE_FAULT = /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|READONLY|FULL|CORRUPT|NOTADB|PROTOCOL|PERM|NOLFS)(_[A-Z_]+)?$/;
/**
 * PostgreSQL SQLSTATE classes of the same kind (db/pg-bridge.ts): 08 connection exception, 53
 * insufficient resources, 57P0x shutdown / cannot connect now, 57014 a statement cancelled by
 * its timeout (or not answered in time), 25006 a read-only standby (an old primary's address
 * after a failover), 58 system error.
 */
const POSTGRES_FAULT = /^(08[0-9A-Z]{3}|53[0-9A-Z]{3}|57P0[1-4]|57014|25006|58[0-9A-Z]{3})$/;

/**
 * The driver code of a database fault (e.g. `SQLITE_BUSY`, `SQLITE_IOERR_WRITE`, `08006`), or
 * null when `err` is not one. Looks through `cause` (drizzle and callers may wrap the driver's
 * error). A closed connection (during shutdown) counts as `SQLITE_CLOSED`.
 */
export function databaseFaultCode(err: unknown): string | null {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e instanceof Error; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (SQLITE_FAULT.test(code) || POSTGRES_FAULT.test(code))) return code;
    if (e instanceof TypeError && e.message === 'The database connection is not open') return 'SQLITE_CLOSED';
    e = e.cause;
  }
  return null;
}

/** Whether `err` says the database cannot be used right now (see {@link databaseFaultCode}). */
export function isDatabaseFault(err: unknown): boolean {
  return databaseFaultCode(err) !== null;
}

/** Seconds a caller is told to wait (`Retry-After`) while the database is unavailable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * The database cannot be used right now (docs/operations.md, "Health checks"): 503
 * `temporarily_unavailable` / `database_unavailable` on every door. The driver's error is kept
 * as `cause` for the log, never shown.
 */
export class DatabaseUnavailableError extends AppError {
  readonly code = 'ERR_DATABASE_UNAVAILABLE';
  constructor(cause?: unknown) {
    super('unavailable', 'database_unavailable', 'The database cannot be used right now. Try again shortly.', {
      retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
      cause,
    });
  }
}
