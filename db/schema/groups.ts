import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './users';

/**
 * Entra groups seen in tokens. Tokens carry only object IDs: `display_name` is the name an
 * admin gave; `graph_name` the one Microsoft Graph reported (when graphGroupNames is on), kept
 * apart so that Graph never overwrites an admin's name.
 */
export const groups = sqliteTable(
  'groups',
  {
    id: text('id').primaryKey(),
    displayName: text('display_name'),
    assignmentGroup: text('assignment_group'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    lastSeenAt: integer('last_seen_at'),
    /** The group's displayName in Entra, from Graph; null until read (or when Graph does not know the group). */
    graphName: text('graph_name'),
    /** When Graph was last asked for the name; null: never (a group new from a sign-in). */
    graphNameCheckedAt: integer('graph_name_checked_at'),
  },
  (t) => [index('groups_graph_name_checked_idx').on(t.graphNameCheckedAt)],
);

export const userGroups = sqliteTable(
  'user_groups',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    addedAt: integer('added_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.groupId] }), index('user_groups_group_idx').on(t.groupId, t.userId)],
);
