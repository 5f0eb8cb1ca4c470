import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The refused-login limit per client address (IPv6 per /64), shared by every instance on the
 * database: one row per address key with the start of its current one-minute window and the
 * refusals counted in it. Written only when a login is refused (one upsert); rows whose window
 * ended are purged by session housekeeping.
 */
export const loginRefusalWindows = sqliteTable(
  'login_refusal_windows',
  {
    key: text('key').primaryKey(),
    windowStart: integer('window_start').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [index('login_refusal_windows_start_idx').on(t.windowStart)],
);
