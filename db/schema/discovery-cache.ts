import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Last good discovery documents and key sets, so a restart during an Entra outage still has keys. */
export const discoveryCache = sqliteTable('discovery_cache', {
  url: text('url').primaryKey(),
  body: text('body').notNull(),
  fetchedAt: integer('fetched_at').notNull(),
});
