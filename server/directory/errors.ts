import 'server-only';
import { NotFoundError } from '@/server/trpc/errors';

/** Typed errors of the directory, with stable codes; server/trpc/errors.ts maps them. */

export class UserNotFoundError extends NotFoundError {
  constructor(readonly userId: string) {
    super(`User ${userId} does not exist.`);
    this.name = 'UserNotFoundError';
  }
}

export class GroupNotFoundError extends NotFoundError {
  constructor(readonly groupId: string) {
    super(`Group ${groupId} has not been seen in any token.`);
    this.name = 'GroupNotFoundError';
  }
}

