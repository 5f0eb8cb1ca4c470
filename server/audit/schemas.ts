import 'server-only';
import { z } from 'zod';

/*
 * What the audit module returns, as zod: its types are inferred from these, and the tRPC
 * routers (logins, changes, audit, overview) declare them as outputs. Times are epoch milliseconds.
 */

const nullableString = z.string().nullable();

/** One row of the login history as the console and the export show it (no chain hashes). */
export const loginEventListItemSchema = z.object({
  id: z.number(),
  ts: z.number(),
  outcome: z.enum(['accepted', 'refused']),
  /** Reason code of docs/api.md; null when accepted. */
  reason: nullableString,
  /** The reason in words ("Token expired"; "Accepted" when accepted). */
  reasonLabel: z.string(),
  status: z.number(),
  tenantId: nullableString,
  objectId: nullableString,
  userId: nullableString,
  username: nullableString,
  displayName: nullableString,
  clientAppId: nullableString,
  tokenVersion: nullableString,
  /** Primary `amr` method (`wia`, `pwd`, ...); null when the token reported none. */
  signInMethod: nullableString,
  /** The method in words; "not reported" for null. */
  signInMethodLabel: z.string(),
  ip: nullableString,
  userAgent: nullableString,
  /**
   * True for a summary row: attempts refused before validation (rate limited, or malformed
   * beyond the limit) from one address (IPv6: its /64) for one reason in one window, counted
   * in one row. Its `ts` is the first attempt, `lastTs` the last, `attempts` the exact count.
   */
  summary: z.boolean(),
  /** Attempts the row stands for: 1 for an ordinary row, the count for a summary row. */
  attempts: z.number(),
  /** Epoch ms of the last attempt of a summary row; null for an ordinary row. */
  lastTs: z.number().nullable(),
});

/** The detail panel: every recorded field, `amr` as a list, and the chain hashes when asked. */
export const loginEventDetailSchema = loginEventListItemSchema.extend({
  amr: z.array(z.string()),
  uti: nullableString,
  /** How the groups of the sign-in were decided: the token, Microsoft Graph (groups overage resolved), or unresolved; null when groups did not matter. */
  groupsSource: z.enum(['token', 'graph', 'unresolved']).nullable(),
  prevHash: z.string().optional(),
  hash: z.string().optional(),
});

/** A page of an audit list; `searchedBackTo` is set when a rare combination of filters ended the page before it was full. */
export const auditPageOutputSchema = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable(), searchedBackTo: z.number().nullable() });

export const groupRefSchema = z.object({ id: z.string(), name: nullableString });

/** Required groups against held groups, for a `group_required` refusal. */
export const groupRuleContextSchema = z.object({
  /** The settings version in force when the attempt was made, and its required groups (named where known). */
  settingsVersion: z.number().nullable(),
  required: z.array(groupRefSchema),
  /** The user's stored memberships (from their last accepted sign-in); null when the attempt has no known user. */
  held: z.array(groupRefSchema).nullable(),
});

export const refusalContextSchema = z.object({
  /** What an auditor should check, or null for accepted attempts and unknown reasons. */
  guidance: nullableString,
  groupRule: groupRuleContextSchema.nullable(),
});

/** Who was changed, as they were when the change was written (see change-target.ts). */
export const targetSnapshotSchema = z.object({
  displayName: nullableString,
  /** UPN (preferred_username), else the email. */
  upn: nullableString,
  /** Entra object ID. */
  objectId: z.string(),
  tenantId: z.string(),
});

/** One changed value between the `before` and `after` of a change event. */
export const changeDiffEntrySchema = z.object({
  /** Dotted path of the value (`tenantId`, `groups.0.name`); '' for the whole value. */
  path: z.string(),
  before: z.unknown(),
  after: z.unknown(),
});

/** A changed value with words for auditors. */
export const labelledDiffEntrySchema = changeDiffEntrySchema.extend({
  /** "Required groups" for `requiredGroupIds`; the path itself when there is no label. */
  label: z.string(),
});

/** What the change log shows of one change beside the raw before/after. */
export const changeDisplaySchema = z.object({
  /** Who or what was changed, in words; null when the type says it all. */
  targetName: nullableString,
  /** The snapshot taken when the change was written (user targets), else null. */
  target: targetSnapshotSchema.nullable(),
  /** One sentence for events that are not edits (sign-ins, exports, links); null for edits. */
  summary: nullableString,
  /** Values that differ between before and after, labelled; empty for events told by `summary`. */
  diff: z.array(labelledDiffEntrySchema),
  /** Object ID → name, for every GUID in the diff that names a known group or this server's app. */
  names: z.record(z.string(), z.string()),
});

export const changeActorKinds = ['cli', 'local', 'entra', 'system'] as const;

/** One change as the change-log table shows it: who, when, what, and what changed. */
export const changeEventListItemSchema = changeDisplaySchema.extend({
  id: z.number(),
  ts: z.number(),
  actor: z.string(),
  actorKind: z.enum(changeActorKinds),
  /** The actor's stable ID: `<tenant ID>:<object ID>` for Entra users, the local admin's ID; null for cli/system and older rows. */
  actorId: nullableString,
  /** For Entra actors: the tenant and object ID (from `actorId`), beside the UPN in `actor`; else null. */
  actorTenantId: nullableString,
  actorObjectId: nullableString,
  action: z.string(),
  targetType: z.string(),
  targetId: nullableString,
  comment: nullableString,
  ip: nullableString,
});

/** The detail panel: the whole before and after documents too, and the chain hashes when asked. */
export const changeEventDetailSchema = changeEventListItemSchema.extend({
  before: z.unknown(),
  after: z.unknown(),
  prevHash: z.string().optional(),
  hash: z.string().optional(),
});

const methodCounts = z.record(z.string(), z.number());
const rates = z.object({ last24h: z.number().nullable(), previous24h: z.number().nullable() });

/** Counts of one 24-hour window, the input of the warnings. */
export const windowCountsSchema = z.object({
  attempts: z.number(),
  accepted: z.number(),
  refused: z.number(),
  /** Accepted sign-ins whose token reported a method (`amr`); the Seamless SSO share's base. */
  acceptedWithMethod: z.number(),
  /** Accepted sign-ins by method code (`none` = not reported). */
  methods: methodCounts,
});

export const auditWarningSchema = z.object({
  code: z.enum(['refusal_rate_rose', 'refusal_rate_fell', 'seamless_sso_share_fell', 'seamless_sso_share_rose']),
  /** `warning` for what usually means trouble (more refusals, less Seamless SSO); `notice` for the other direction. */
  severity: z.enum(['warning', 'notice']),
  /** Share in the 24 h before the last 24 h, and in the last 24 h (0..1). */
  previous: z.number(),
  current: z.number(),
  message: z.string(),
});

export const hourBucketSchema = z.object({
  /** Start of the hour, epoch ms (UTC hours). */
  start: z.number(),
  accepted: z.number(),
  refused: z.number(),
  /** Accepted sign-ins of the hour by method code; `none` is "not reported" (v2 tokens). */
  methods: methodCounts,
});

export const loginStatsSchema = z.object({
  /** Start of the first hour shown, and the time the stats were computed (end, exclusive). */
  from: z.number(),
  to: z.number(),
  /** 168 hours, oldest first; the last one is the current, partial hour. */
  hours: z.array(hourBucketSchema),
  /** Method codes of accepted sign-ins in the 7 days, most used first (`none` = not reported). */
  methods: z.array(z.string()),
  /** Seamless SSO share: accepted `wia` sign-ins / accepted sign-ins whose token reported a method; null without any. */
  seamlessShare: rates,
  /** Refused attempts / all attempts; null without any. */
  refusalRate: rates,
  /** Exactly the 24 h before `to`, and the 24 h before those. */
  last24h: windowCountsSchema,
  previous24h: windowCountsSchema,
  warnings: z.array(auditWarningSchema),
});

export const chartRanges = ['24h', '7d', '30d'] as const;

export const chartBucketSchema = z.object({
  /** [start, end), epoch ms; the last bucket ends at `now` (it is the current, partial one). */
  start: z.number(),
  end: z.number(),
  /** Sign-in attempts of the bucket: accepted + refused. */
  attempts: z.number(),
  accepted: z.number(),
  refused: z.number(),
  /** Accepted attempts by method code; `none` is "not reported" (v2 tokens). */
  methods: methodCounts,
});

export const loginChartSchema = z.object({
  range: z.enum(chartRanges),
  bucketMs: z.number(),
  from: z.number(),
  to: z.number(),
  buckets: z.array(chartBucketSchema),
  totals: z.object({ attempts: z.number(), accepted: z.number(), refused: z.number() }),
  /** Method codes of the accepted attempts in the range, most used first. */
  methods: z.array(z.string()),
});

export const auditStreams = ['login', 'change'] as const;

export const chainVerificationSchema = z.object({
  stream: z.enum(auditStreams),
  /** Events whose hash and link were checked and found right (up to the first break). */
  verified: z.number(),
  /** Where the walk started when retention purged older events. */
  checkpoint: z.object({ id: z.number(), purgedThroughId: z.number(), createdAt: z.number() }).optional(),
  firstBroken: z
    .object({
      /** The event ID where the chain breaks (for `checkpoint_invalid`, the checkpoint's purgedThroughId). */
      id: z.number(),
      reason: z.enum(['hash_mismatch', 'link_mismatch', 'checkpoint_invalid', 'purged_event_present', 'tail_missing']),
      /** The break in words, for the console and the CLI. */
      message: z.string(),
      checkpointId: z.number().optional(),
    })
    .optional(),
});
