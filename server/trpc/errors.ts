import 'server-only';
import { TRPCError } from '@trpc/server';
import { SettingsValidationError, SettingsVersionNotFoundError } from '@/server/settings/errors';
import { LocalAuthError } from '@/server/sessions/local-admin';
import { log } from '@/server/lib/log';
import { AuditCursorError, AuditEventNotFoundError } from '@/server/audit/errors';

/** Domain error with a stable code that the console may show as is. */
export class NotFoundError extends Error {
  readonly code = 'ERR_NOT_FOUND';
}

/**
 * The one place that maps server errors to tRPC errors. Expected errors keep their message
 * (and settings issues their fields); anything else becomes a generic 500 and is logged.
 */
export function toTRPCError(err: unknown): TRPCError {
  if (err instanceof TRPCError) return err;
  if (err instanceof SettingsValidationError) return new TRPCError({ code: 'BAD_REQUEST', message: err.message, cause: err });
  if (err instanceof AuditCursorError) return new TRPCError({ code: 'BAD_REQUEST', message: err.message, cause: err });
  if (err instanceof SettingsVersionNotFoundError || err instanceof NotFoundError || err instanceof AuditEventNotFoundError) return new TRPCError({ code: 'NOT_FOUND', message: err.message, cause: err });
  if (err instanceof LocalAuthError) {
    const code =
      err.reason === 'locked_out' || err.reason === 'sign_in_busy'
        ? 'TOO_MANY_REQUESTS'
        : err.reason === 'bad_credentials'
          ? 'UNAUTHORIZED'
          : err.reason === 'sign_in_unavailable'
            ? 'SERVICE_UNAVAILABLE'
            : 'BAD_REQUEST';
    return new TRPCError({ code, message: err.message, cause: err });
  }
  log.error('console request failed', { error: (err as Error)?.message });
  return new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'Something went wrong on the server.' });
}
