import 'server-only';
import { z } from 'zod';
import { pageInputShape, pageOutputSchema } from '@/server/lib/paging';
import {
  changeCommentSchema,
  groupIdSchema,
  searchSchema,
  userDetailSchema,
  userIdSchema,
  userListItemSchema,
  userStatusChangeSchema,
  userStatusSchema,
} from '@/server/directory/schemas';

/**
 * Inputs and outputs of the `users` router, named after the procedure. Outputs list every
 * field the console gets (the item shapes live with the directory, server/directory/schemas.ts);
 * anything else a service returns is stripped by tRPC's output validation. Times are epoch milliseconds.
 */

export const usersListInput = z
  .object({
    search: searchSchema.optional(),
    status: userStatusSchema.optional(),
    groupId: groupIdSchema.optional(),
    ...pageInputShape('users'),
  })
  .strict()
  .prefault({});

export const userPageSchema = pageOutputSchema(userListItemSchema);
export const usersListOutput = userPageSchema.extend({
  /** Users matching the filter, all pages together. */
  total: z.number(),
});

export const usersGetInput = z.object({ id: userIdSchema }).strict();

export const usersGetOutput = userDetailSchema.extend({
  /** The user is the Entra account of the admin or auditor asking. */
  isYou: z.boolean(),
});

export const usersSetStatusInput = z
  .object({
    id: userIdSchema,
    status: userStatusSchema,
    /** Written to the change log with the change. */
    comment: changeCommentSchema.optional(),
    /** Required to disable your own account (PRECONDITION_FAILED without it). */
    confirmSelf: z.literal(true).optional(),
  })
  .strict();

export const usersSetStatusOutput = userStatusChangeSchema;
