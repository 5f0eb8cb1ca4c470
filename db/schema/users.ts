import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** People who signed in with Entra ID, identified by (tenant, object ID). */
export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    objectId: text('object_id').notNull(),
    displayName: text('display_name'),
    email: text('email'),
    username: text('username'),
    /** Lower-cased display name, email and user name, for substring search. */
    searchText: text('search_text').notNull().default(''),
    status: text('status', { enum: ['active', 'disabled'] })
      .notNull()
      .default('active'),
    groupsOverage: integer('groups_overage', { mode: 'boolean' }).notNull().default(false),
    /** How the memberships of the last sign-in with group import were decided: the token, Microsoft Graph (overage), or not at all. */
    groupsSource: text('groups_source', { enum: ['token', 'graph', 'unresolved'] }),
    claims: text('claims', { mode: 'json' }),
    lastAuthMethods: text('last_auth_methods', { mode: 'json' }),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    lastLoginAt: integer('last_login_at'),
  },
  (t) => [
    uniqueIndex('users_tenant_object_uq').on(t.tenantId, t.objectId),
    // search_text rides along so that a substring search scans the index, not the table
    index('users_display_name_idx').on(t.displayName, t.id, t.searchText),
    index('users_status_idx').on(t.status, t.displayName),
    index('users_last_login_idx').on(t.lastLoginAt),
  ],
);
