import { reasons, type ReasonCode } from './reasons';

/**
 * A refused token or login, with a stable reason code of docs/contract.md. `detail` says what
 * exactly was wrong, for humans; it never contains the token.
 */
export class LoginRefusedError extends Error {
  readonly code = 'ERR_LOGIN_REFUSED';
  readonly status: number;
  readonly error: string;
  constructor(
    readonly reason: ReasonCode,
    readonly detail?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(detail ? `${reasons[reason].message} ${detail}` : reasons[reason].message);
    this.status = reasons[reason].status;
    this.error = reasons[reason].error;
  }
}
