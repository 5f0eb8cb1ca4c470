import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Budgets of the break-glass password sign-in, shared by every process on the database: one
 * row per password check reserved against a user name or a client address (deleted again when
 * the check succeeds), and one per locked-out attempt written to the change log. Rows older than
 * the window are pruned, so the table stays as small as the budgets allow.
 */
export const signInAttempts = sqliteTable(
  'sign_in_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    scope: text('scope', { enum: ['user_name', 'address', 'lockout_record'] }).notNull(),
    key: text('key').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('sign_in_attempts_scope_key_at_idx').on(t.scope, t.key, t.at), index('sign_in_attempts_at_idx').on(t.at)],
);
