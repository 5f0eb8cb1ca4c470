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

/*
 * What the directory returns, as zod: the domain's types are inferred from these, and the
 * tRPC routers declare them as outputs (anything else a query yields is stripped). Times are
 * epoch milliseconds.
 */

export const userStatusSchema = z.enum(['active', 'disabled']);
export type UserStatus = z.infer<typeof userStatusSchema>;

/** One row of the users list: profile fields only (no claims, no search text). */
export const userListItemSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  objectId: z.string(),
  displayName: z.string().nullable(),
  email: z.string().nullable(),
  username: z.string().nullable(),
  status: userStatusSchema,
  /** The last token had more than 200 groups: memberships are those known from earlier sign-ins. */
  groupsOverage: z.boolean(),
  lastLoginAt: z.number().nullable(),
  /** A B2B guest: an account of another tenant or a personal account (guest.ts). */
  guest: z.boolean(),
});
export type UserListItem = z.infer<typeof userListItemSchema>;

/** A group seen in tokens, with the names admins gave it. */
export const groupItemSchema = z.object({
  /** The Entra object ID (lower-case GUID). */
  id: z.string(),
  /** Admin-given name; null until an admin names it. */
  displayName: z.string().nullable(),
  /** The group's name in Entra, read from Microsoft Graph when graphGroupNames is on; null until read. */
  graphName: z.string().nullable(),
  /** The name to show: the admin's, else Graph's; null when neither is known (show the ID). */
  name: z.string().nullable(),
  /** The ICE Server assignment group it maps to, if any. */
  assignmentGroup: z.string().nullable(),
  memberCount: z.number(),
  createdAt: z.number(),
  updatedAt: z.number(),
  /** Last time a sign-in carried it. */
  lastSeenAt: z.number().nullable(),
});
export type GroupListItem = z.infer<typeof groupItemSchema>;

export const userGroupSchema = z.object({
  id: z.string(),
  /** Admin-given name. */
  displayName: z.string().nullable(),
  /** Name from Microsoft Graph. */
  graphName: z.string().nullable(),
  /** The admin's name, else Graph's; null when neither is known. */
  name: z.string().nullable(),
  assignmentGroup: z.string().nullable(),
});
export type UserGroup = z.infer<typeof userGroupSchema>;

/** An active session: never its token or the token's hash. */
export const userSessionSchema = z.object({
  id: z.string(),
  createdAt: z.number(),
  expiresAt: z.number(),
  clientAppId: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});
export type UserSession = z.infer<typeof userSessionSchema>;

/** A sign-in attempt as a user's page shows it. */
export const userSignInSchema = z.object({
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

/** Everything a user's page shows. */
export const userDetailSchema = userListItemSchema.extend({
  createdAt: z.number(),
  updatedAt: z.number(),
  /** `amr` of the last sign-in (v1 tokens); empty when the token reported none. */
  lastAuthMethods: z.array(z.string()),
  /** The non-secret claims of the last token (see claimSnapshot). */
  claims: z.record(z.string(), z.unknown()).nullable(),
  /**
   * How the memberships of the last sign-in with group import were decided: `token` (the token's groups), `graph`
   * (groups overage resolved through Microsoft Graph), `unresolved` (overage Graph could not answer); null before any.
   */
  groupsSource: z.enum(['token', 'graph', 'unresolved']).nullable(),
  groups: z.array(userGroupSchema),
  /** Active sessions, newest first. */
  sessions: z.array(userSessionSchema),
  /** The last 20 sign-in attempts, newest first. */
  signIns: z.array(userSignInSchema),
});

export const userStatusChangeSchema = z.object({
  id: z.string(),
  status: userStatusSchema,
  /** False when the user already had this status (nothing written, nothing logged). */
  changed: z.boolean(),
  /** Active sessions revoked by a disable. */
  sessionsRevoked: z.number(),
});
export type UserStatusChange = z.infer<typeof userStatusChangeSchema>;

export const groupUpdateSchema = z.object({
  group: groupItemSchema,
  /** False when nothing differed (nothing written, nothing logged). */
  changed: z.boolean(),
});
export type GroupUpdate = z.infer<typeof groupUpdateSchema>;

export const directoryCountsSchema = z.object({
  users: z.object({ total: z.number(), active: z.number(), disabled: z.number() }),
  groups: z.number(),
  /**
   * Sign-in attempts in the 24 hours before `now`, [now - 24 h, now): one definition of a
   * sign-in (an attempt, accepted or refused) for every number and rate of the overview, the
   * same window as the refusal rate of server/audit/stats.ts.
   */
  signIns24h: z.object({ attempts: z.number(), accepted: z.number(), refused: z.number() }),
});
export type DirectoryCounts = z.infer<typeof directoryCountsSchema>;
