import 'server-only';
import { z } from 'zod';
import { changeCommentSchema, groupIdSchema, groupItemSchema, groupNameSchema, groupUpdateSchema, searchSchema } from '@/server/directory/schemas';
import { pageInputShape, pageOutputSchema } from '@/server/lib/paging';
import { userPageSchema } from './users.schemas';

/** Inputs and outputs of the `groups` router, named after the procedure (item shapes in server/directory/schemas.ts). Times are epoch milliseconds. */

export const groupsListInput = z
  .object({
    search: searchSchema.optional(),
    ...pageInputShape('groups'),
  })
  .strict()
  .prefault({});

export const groupsListOutput = pageOutputSchema(groupItemSchema).extend({
  /** Groups matching the search, all pages together. */
  total: z.number(),
});

/** A group and one page of its members (`cursor`/`limit` page the members). */
export const groupsGetInput = z
  .object({
    id: groupIdSchema,
    ...pageInputShape('users'),
  })
  .strict();

export const groupsGetOutput = groupItemSchema.extend({ members: userPageSchema });

/** Fields left out stay as they are; '' or null clears a name. */
export const groupsUpdateInput = z
  .object({
    id: groupIdSchema,
    displayName: groupNameSchema.optional(),
    assignmentGroup: groupNameSchema.optional(),
    comment: changeCommentSchema.optional(),
  })
  .strict();

export const groupsUpdateOutput = groupUpdateSchema;

/** Names of known groups, for the group rule fields of the settings. */
export const groupsNamesInput = z.object({ ids: z.array(groupIdSchema).max(500) }).strict();
export const groupsNamesOutput = z.array(z.object({ id: z.string(), displayName: z.string().nullable() }));
