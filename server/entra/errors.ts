import 'server-only';
import { AppError, kindOfStatus } from '@/shared/error-model';
import { reasons, type ReasonCode } from '@/shared/login-reasons';

/**
 * A refused token or login, with a stable reason code of docs/api.md. `detail` says what
 * exactly was wrong, for humans; it never contains the token. Status and OAuth `error` come
 * from the reasons table; the kind is the status's kind in shared/error-model.ts (a test holds
 * them equal).
 */
export class LoginRefusedError extends AppError {
  readonly code = 'ERR_LOGIN_REFUSED';
  declare readonly reason: ReasonCode;
  constructor(
    reason: ReasonCode,
    readonly detail?: string,
    retryAfterSeconds?: number,
  ) {
    const r = reasons[reason];
    super(kindOfStatus(r.status), reason, detail ? `${r.message} ${detail}` : r.message, { error: r.error, retryAfterSeconds });
  }
}
