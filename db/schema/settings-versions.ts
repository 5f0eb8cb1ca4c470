import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Every save of the SSO settings is a new row; rows are never updated. */
export const settingsVersions = sqliteTable('settings_versions', {
  version: integer('version').primaryKey(),
  document: text('document', { mode: 'json' }).notNull(),
  author: text('author').notNull(),
  authorKind: text('author_kind', { enum: ['cli', 'local', 'entra', 'system'] }).notNull(),
  comment: text('comment'),
  revertedFrom: integer('reverted_from'),
  createdAt: integer('created_at').notNull(),
});
