import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Leases of work that runs once per deployment (key refresh, retention, housekeeping): the
 * instance holding a lease renews it every few seconds; another takes it over once it expired.
 */
export const leases = sqliteTable('leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: integer('expires_at').notNull(),
});
