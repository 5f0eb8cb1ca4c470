import 'server-only';
import { TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { AppError, errorKinds, fieldIssuesOf, InvalidInputError, SERVER_ERROR_REASON, serverErrorMessage, type FieldIssue } from '@/shared/error-model';
import { log } from '@/server/lib/log';
import { noteDatabaseFault } from '@/server/lib/database-outage';

/** The cause of a 500 after mapping: the fault itself was logged and is not kept, so nothing can leak its message. */
class ServerFault extends AppError {
  readonly code = 'ERR_SERVER';
  constructor(requestId: string | null) {
    super('internal', SERVER_ERROR_REASON, serverErrorMessage(requestId));
  }
}

/**
 * The one place that maps what a procedure threw to a tRPC error, through the kind table of
 * shared/error-model.ts. An {@link AppError} keeps its message and reason; zod's error from a
 * service is a bad request with its field issues; a database fault is `database_unavailable`
 * (server/lib/database-fault.ts); anything else (and any `internal` AppError)
 * is logged with the request ID and answered as `server_error` with a generic message.
 */
export function toTRPCError(err: unknown, requestId: string | null = null): TRPCError {
  if (err instanceof TRPCError) {
    // tRPC wraps anything thrown that is not a TRPCError as INTERNAL_SERVER_ERROR with the original as cause
    if (err.code === 'INTERNAL_SERVER_ERROR' && !(err.cause instanceof ServerFault)) return toTRPCError(err.cause ?? new Error(err.message), requestId);
    return err;
  }
  if (err instanceof ZodError) err = new InvalidInputError(fieldIssuesOf(err));
  // a dead or locked database is a 503 database_unavailable, as on /api/login, not a fault of the call
  err = noteDatabaseFault(err) ?? err;
  if (err instanceof AppError && err.kind !== 'internal') return new TRPCError({ code: errorKinds[err.kind].trpc, message: err.message, cause: err });
  log.error('console request failed', {
    requestId,
    error: err instanceof Error ? err.message : String(err),
    reason: err instanceof AppError ? err.reason : undefined,
  });
  const fault = new ServerFault(requestId);
  return new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: fault.message, cause: fault });
}

/** Whether an INTERNAL_SERVER_ERROR went through {@link toTRPCError} (and so was logged already). */
export function isMappedFault(error: TRPCError): boolean {
  return error.cause instanceof ServerFault;
}

/** The `data` every tRPC error carries besides tRPC's own `code` and `httpStatus` (docs/api.md, "Errors"). */
export interface ErrorData {
  /** A stable reason code: the AppError's, `invalid_input` for a bad input, else tRPC's code in lower case. */
  reason: string;
  /** Field by field, for bad input. */
  issues: FieldIssue[] | null;
  requestId: string | null;
}

/** The reason, issues and request ID of a (mapped) tRPC error. */
export function errorDataOf(error: TRPCError, requestId: string | null): ErrorData {
  const cause = error.cause;
  if (error.code === 'INTERNAL_SERVER_ERROR') return { reason: SERVER_ERROR_REASON, issues: null, requestId };
  if (cause instanceof ZodError) return { reason: 'invalid_input', issues: fieldIssuesOf(cause), requestId };
  if (cause instanceof AppError) {
    const issues = 'issues' in cause && Array.isArray(cause.issues) ? (cause.issues as FieldIssue[]) : null;
    return { reason: cause.reason, issues, requestId };
  }
  return { reason: error.code.toLowerCase(), issues: null, requestId };
}
