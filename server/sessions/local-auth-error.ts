import 'server-only';
import { AppError, type ErrorKind } from '@/shared/error-model';

/** Why a break-glass setup or sign-in was refused; `reason` is API (the console shows `message`). */
export type LocalAuthReason =
  | 'setup_link_invalid'
  | 'setup_link_expired'
  | 'setup_link_used'
  | 'weak_password'
  | 'bad_credentials'
  | 'locked_out'
  | 'bad_username'
  | 'sign_in_busy'
  | 'sign_in_unavailable';

const kindOf: Record<LocalAuthReason, ErrorKind> = {
  setup_link_invalid: 'bad_request',
  setup_link_expired: 'bad_request',
  setup_link_used: 'bad_request',
  weak_password: 'bad_request',
  bad_username: 'bad_request',
  bad_credentials: 'unauthorized',
  locked_out: 'rate_limited',
  sign_in_busy: 'rate_limited',
  sign_in_unavailable: 'unavailable',
};

export class LocalAuthError extends AppError {
  readonly code = 'ERR_LOCAL_AUTH';
  declare readonly reason: LocalAuthReason;
  constructor(
    reason: LocalAuthReason,
    message: string,
    /** For `locked_out` and `sign_in_busy`: when to try again (sent as `Retry-After`). */
    retryAfterSeconds?: number,
  ) {
    super(kindOf[reason], reason, message, { retryAfterSeconds });
  }
}
