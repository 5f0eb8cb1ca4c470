import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** The local break-glass admin(s), for first setup and for when Entra is misconfigured. */
export const localAdmins = sqliteTable('local_admins', {
  id: text('id').primaryKey(),
  username: text('username').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
  lastSignInAt: integer('last_sign_in_at'),
});

/** One-time setup links: single use, short-lived, stored hashed. */
export const setupTokens = sqliteTable(
  'setup_tokens',
  {
    id: text('id').primaryKey(),
    tokenHash: text('token_hash').notNull().unique(),
    purpose: text('purpose', { enum: ['setup', 'reset'] }).notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    usedAt: integer('used_at'),
  },
  (t) => [index('setup_tokens_expires_idx').on(t.expiresAt)],
);

/** Cookie sessions of the local admin in the console. */
export const consoleSessions = sqliteTable(
  'console_sessions',
  {
    id: text('id').primaryKey(),
    tokenHash: text('token_hash').notNull().unique(),
    adminId: text('admin_id')
      .notNull()
      .references(() => localAdmins.id, { onDelete: 'cascade' }),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    revokedAt: integer('revoked_at'),
  },
  (t) => [index('console_sessions_admin_idx').on(t.adminId)],
);
