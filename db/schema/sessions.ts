import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './users';

/** Sessions issued by POST /api/login. Only a SHA-256 hash of the token is stored. */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    tokenHash: text('token_hash').notNull().unique(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    clientAppId: text('client_app_id'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    revokedAt: integer('revoked_at'),
    revokeReason: text('revoke_reason'),
  },
  (t) => [index('sessions_user_idx').on(t.userId, t.expiresAt), index('sessions_expires_idx').on(t.expiresAt)],
);

/** Token IDs (`uti`) already used for a login, kept until the token would have expired. */
export const usedTokenIds = sqliteTable(
  'used_token_ids',
  {
    uti: text('uti').primaryKey(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('used_token_ids_expires_idx').on(t.expiresAt)],
);
