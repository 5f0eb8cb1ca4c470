import { z } from 'zod';
import { pageInputShape, pageOutputSchema } from '@/server/lib/paging';
import { changeCommentSchema, groupIdSchema, searchSchema, userIdSchema } from '@/server/directory/schemas';

/**
 * Inputs and outputs of the `users` router. Pure zod (no server imports): the console may use
 * the inputs for its forms. Outputs list every field the console gets; anything else a
 * service returns is stripped by tRPC's output validation. Times are epoch milliseconds.
 */

export const userStatusSchema = z.enum(['active', 'disabled']);

export const usersListInput = z
  .object({
    search: searchSchema.optional(),
    status: userStatusSchema.optional(),
    groupId: groupIdSchema.optional(),
    ...pageInputShape('users'),
  })
  .strict()
  .prefault({});

export const userListItemSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  objectId: z.string(),
  displayName: z.string().nullable(),
  email: z.string().nullable(),
  username: z.string().nullable(),
  status: userStatusSchema,
  groupsOverage: z.boolean(),
  lastLoginAt: z.number().nullable(),
  /** A B2B guest: an account of another tenant or a personal account (server/directory/guest.ts). */
  guest: z.boolean(),
});

export const userPageSchema = pageOutputSchema(userListItemSchema);
export const usersListOutput = userPageSchema.extend({
  /** Users matching the filter, all pages together. */
  total: z.number(),
});

export const usersGetInput = z.object({ id: userIdSchema }).strict();

export const signInItemSchema = z.object({
  id: z.number(),
  ts: z.number(),
  outcome: z.enum(['accepted', 'refused']),
  reason: z.string().nullable(),
  reasonLabel: z.string(),
  status: z.number(),
  clientAppId: z.string().nullable(),
  tokenVersion: z.string().nullable(),
  signInMethod: z.string().nullable(),
  signInMethodLabel: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});

export const usersGetOutput = userListItemSchema.extend({
  createdAt: z.number(),
  updatedAt: z.number(),
  lastAuthMethods: z.array(z.string()),
  claims: z.record(z.string(), z.unknown()).nullable(),
  groups: z.array(z.object({ id: z.string(), displayName: z.string().nullable(), assignmentGroup: z.string().nullable() })),
  /** Active sessions: never their token or its hash. */
  sessions: z.array(
    z.object({
      id: z.string(),
      createdAt: z.number(),
      expiresAt: z.number(),
      clientAppId: z.string().nullable(),
      ip: z.string().nullable(),
      userAgent: z.string().nullable(),
    }),
  ),
  signIns: z.array(signInItemSchema),
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

export const usersSetStatusOutput = z.object({
  id: z.string(),
  status: userStatusSchema,
  changed: z.boolean(),
  sessionsRevoked: z.number(),
});
