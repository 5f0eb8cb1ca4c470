import 'server-only';
import { AppError, type ErrorKind } from '@/shared/error-model';
import type { ReasonCode } from '@/shared/login-reasons';

/**
 * Why a console request (tRPC or the export route) was not let in. `reason` is API: the
 * console reads it from the tRPC error data, the export route sends it in its JSON body.
 */
export type ConsoleAuthReason =
  /** no credential at all */
  | 'sign_in_required'
  /** an Authorization header that is not `Bearer <token>` */
  | 'malformed_authorization'
  /** the break-glass cookie names a session that ended or never existed */
  | 'console_session_ended'
  /** the Entra user is disabled on this server */
  | 'user_disabled'
  /** a cookie-session mutation without the CSRF header from this origin */
  | 'csrf_refused'
  /** signed in, without the role the call needs */
  | 'role_required'
  /** the bearer token was refused by the one validator: its reason code (docs/api.md) */
  | ReasonCode;

export class ConsoleAuthError extends AppError {
  readonly code = 'ERR_CONSOLE_AUTH';
  declare readonly reason: ConsoleAuthReason;
  constructor(reason: ConsoleAuthReason, message: string) {
    const kind: ErrorKind = reason === 'csrf_refused' || reason === 'role_required' ? 'forbidden' : 'unauthorized';
    super(kind, reason, message);
  }
}
