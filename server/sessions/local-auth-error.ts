import 'server-only';
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

export class LocalAuthError extends Error {
  readonly code = 'ERR_LOCAL_AUTH';
  constructor(
    readonly reason: LocalAuthReason,
    message: string,
    /** For `locked_out` and `sign_in_busy`: when to try again (sent as `Retry-After`). */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
}
