import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * One row per POST /api/login attempt that reached validation, accepted or refused, and one
 * summary row per client address, reason and window for attempts refused before it (rate
 * limited, or malformed beyond the limit): `attempts` counts them, `ts` is the first and
 * `last_ts` the last. Never the token. `hash` chains each row to the previous one (see
 * server/audit/chain.ts); `attempts` and `last_ts` are hashed when not 1 / null.
 */
export const loginEvents = sqliteTable(
  'login_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ts: integer('ts').notNull(),
    outcome: text('outcome', { enum: ['accepted', 'refused'] }).notNull(),
    reason: text('reason'),
    status: integer('status').notNull(),
    tenantId: text('tenant_id'),
    objectId: text('object_id'),
    userId: text('user_id'),
    username: text('username'),
    displayName: text('display_name'),
    clientAppId: text('client_app_id'),
    tokenVersion: text('token_version'),
    amr: text('amr'),
    signInMethod: text('sign_in_method'),
    uti: text('uti'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    /** How the groups of this sign-in were decided: `token`, `graph` (overage resolved), `unresolved`; null when groups did not matter. */
    groupsSource: text('groups_source', { enum: ['token', 'graph', 'unresolved'] }),
    /** Attempts this row stands for: 1, or the count of a summary row. */
    attempts: integer('attempts').notNull().default(1),
    /** Time of the last attempt of a summary row; null for a row of one attempt. */
    lastTs: integer('last_ts'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('login_events_ts_idx').on(t.ts),
    index('login_events_user_ts_idx').on(t.userId, t.ts),
    index('login_events_object_ts_idx').on(t.objectId, t.ts),
    index('login_events_outcome_ts_idx').on(t.outcome, t.ts),
    index('login_events_reason_ts_idx').on(t.reason, t.ts),
    index('login_events_client_ts_idx').on(t.clientAppId, t.ts),
    index('login_events_method_ts_idx').on(t.signInMethod, t.ts),
    index('login_events_ip_ts_idx').on(t.ip, t.ts),
    // summary rows only (few): statistics add their attempts beyond one without reading the table
    index('login_events_summary_ts_idx')
      .on(t.ts)
      .where(sql`last_ts IS NOT NULL`),
  ],
);

/** Every settings version, user and group change, break-glass setup and sign-in. */
export const changeEvents = sqliteTable(
  'change_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ts: integer('ts').notNull(),
    actor: text('actor').notNull(),
    actorKind: text('actor_kind', { enum: ['cli', 'local', 'entra', 'system'] }).notNull(),
    /** The actor's stable ID beside its name: `<tenant ID>:<object ID>` for Entra users, the local admin's ID; null for cli/system. */
    actorId: text('actor_id'),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id'),
    before: text('before'),
    after: text('after'),
    comment: text('comment'),
    ip: text('ip'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('change_events_ts_idx').on(t.ts),
    index('change_events_target_idx').on(t.targetType, t.targetId, t.ts),
    index('change_events_action_ts_idx').on(t.action, t.ts),
  ],
);

/** Signed record of the chain head removed by a retention purge, so the rest still verifies. */
export const auditCheckpoints = sqliteTable('audit_checkpoints', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  stream: text('stream', { enum: ['login', 'change'] }).notNull(),
  purgedThroughId: integer('purged_through_id').notNull(),
  headHash: text('head_hash').notNull(),
  purgedCount: integer('purged_count').notNull(),
  createdAt: integer('created_at').notNull(),
  signature: text('signature').notNull(),
});
