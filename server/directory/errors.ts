import 'server-only';
import { AppError } from '@/shared/error-model';

/** Typed errors of the directory (shared/error-model.ts: reason and kind decide what both transports answer). */

export class UserNotFoundError extends AppError {
  readonly code = 'ERR_USER_NOT_FOUND';
  constructor(readonly userId: string) {
    super('not_found', 'user_not_found', `User ${userId} does not exist.`);
  }
}

export class GroupNotFoundError extends AppError {
  readonly code = 'ERR_GROUP_NOT_FOUND';
  constructor(readonly groupId: string) {
    super('not_found', 'group_not_found', `Group ${groupId} has not been seen in any token.`);
  }
}
