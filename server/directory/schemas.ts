import 'server-only';
import { z } from 'zod';

/**
 * Pure zod schemas of directory values. No server imports: the console can use them for
 * inline errors, and the tRPC inputs are built from them.
 */

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An Entra group object ID; stored lower-case, as the login path stores the token's `groups`. */
export const groupIdSchema = z.string().trim().toLowerCase().regex(GUID_RE, 'must be a group object ID (a GUID)');

/** A directory user ID (the server's own, not the Entra object ID). */
export const userIdSchema = z.string().trim().min(1, 'must not be empty').max(128);

export const MAX_GROUP_NAME = 256;

/** An admin-given group name: trimmed, at most 256 characters, no control characters; empty (or null) clears it. */
export const groupNameSchema = z
  .string()
  .trim()
  .max(MAX_GROUP_NAME, `must be at most ${MAX_GROUP_NAME} characters`)
  .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters (such as line breaks)')
  .transform((v) => (v === '' ? null : v))
  .nullable();

/** What an admin may change on a group; a field left out stays as it is. */
export const groupPatchSchema = z
  .object({
    /** The name shown for the group (tokens carry only its object ID). */
    displayName: groupNameSchema.optional(),
    /** The ICE Server assignment group the Entra group maps to. */
    assignmentGroup: groupNameSchema.optional(),
  })
  .strict();
export type GroupPatchInput = z.input<typeof groupPatchSchema>;

/** Search text of the lists: trimmed; empty means no search. */
export const searchSchema = z.string().trim().max(256, 'must be at most 256 characters');

/** Comments written to the change log with a change. */
export const changeCommentSchema = z.string().max(500, 'must be at most 500 characters');
