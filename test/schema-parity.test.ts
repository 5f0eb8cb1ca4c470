import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { is } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '@/db/client';
import { applyPostgresMigrations, openPostgres } from '@/db/pg-client';
import * as sqliteSchema from '@/db/schema';
import { FUNCTION_TRANSLATIONS } from '@/scripts/gen-pg-schema';
import { startPostgres, type TestPostgres } from './postgres';
import { tempDbFile } from './support/tmp';

/*
 * db/migrations applied to a fresh SQLite file and db/migrations-pg to a fresh PostgreSQL
 * database give the same tables, columns (name, nullability, default, type family, generated
 * keys), primary keys, indexes (name, columns or expressions, uniqueness, partial predicate:
 * a PostgreSQL UNIQUE constraint is compared as the unique index it is) and foreign keys,
 * read from each database's own catalog, not from the drizzle definitions.
 */

type Family = 'text' | 'integer' | 'real' | 'blob' | 'numeric' | string;
interface ColumnShape {
  family: Family;
  notNull: boolean;
  default: string | null;
  /** SQLite AUTOINCREMENT, PostgreSQL identity. */
  generatedKey: boolean;
}
interface IndexShape {
  columns: string[];
  unique: boolean;
  where: string | null;
}
interface TableShape {
  columns: Record<string, ColumnShape>;
  primaryKey: string[];
  indexes: Record<string, IndexShape>;
  foreignKeys: string[];
}
type Catalog = Record<string, TableShape>;

/** Normalized SQL of an expression or predicate: quotes, casts, outer parentheses, case and spacing do not count. */
function normalizeSql(text: string): string {
  let s = text.replace(/[`"]/g, '').replace(/::[a-z ]+(\[\])?/gi, '');
  for (const [from, to] of Object.entries(FUNCTION_TRANSLATIONS)) s = s.replace(new RegExp(`\\b${from}\\s*\\(`, 'gi'), `${to}(`);
  s = s.replace(/\s+/g, ' ').trim().toLowerCase();
  while (/^\(.*\)$/.test(s) && balanced(s.slice(1, -1))) s = s.slice(1, -1).trim();
  return s.replace(/\s*([(),=<>])\s*/g, '$1');
}

function balanced(s: string): boolean {
  let depth = 0;
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/** Splits `a, lower(b), c` at its top-level commas. */
function splitTopLevel(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of list) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  return [...parts, current].map((p) => p.trim());
}

function sqliteFamily(declared: string): Family {
  const t = declared.toUpperCase();
  if (t.includes('INT')) return 'integer';
  if (/CHAR|CLOB|TEXT/.test(t)) return 'text';
  if (t === '' || t.includes('BLOB')) return 'blob';
  if (/REAL|FLOA|DOUB/.test(t)) return 'real';
  return 'numeric';
}

function pgFamily(dataType: string): Family {
  if (['text', 'character varying', 'character'].includes(dataType)) return 'text';
  if (['bigint', 'integer', 'smallint'].includes(dataType)) return 'integer';
  if (['double precision', 'real'].includes(dataType)) return 'real';
  if (dataType === 'bytea') return 'blob';
  if (dataType === 'numeric') return 'numeric';
  return dataType;
}

function normalizeDefault(value: string | null): string | null {
  if (value === null) return null;
  const s = normalizeSql(value);
  // SQLite reads TRUE/FALSE as 1/0 (the flags are integer columns on both sides)
  return s === 'false' ? '0' : s === 'true' ? '1' : s;
}

function readSqliteCatalog(file: string): Catalog {
  const db = openDb(file);
  const client = db.$client;
  try {
    const tables = client
      .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> '__drizzle_migrations'`)
      .all() as Array<{ name: string; sql: string }>;
    const catalog: Catalog = {};
    for (const { name, sql } of tables) {
      const info = client.pragma(`table_info(${JSON.stringify(name)})`) as Array<{
        name: string;
        type: string;
        notnull: number;
        dflt_value: string | null;
        pk: number;
      }>;
      const primaryKey = info
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name);
      const columns: Record<string, ColumnShape> = {};
      for (const c of info) {
        columns[c.name] = {
          family: sqliteFamily(c.type),
          notNull: c.notnull === 1,
          default: normalizeDefault(c.dflt_value),
          // AUTOINCREMENT is allowed on the one INTEGER PRIMARY KEY column only
          generatedKey: primaryKey.length === 1 && primaryKey[0] === c.name && /\bAUTOINCREMENT\b/i.test(sql),
        };
      }
      const indexes: Record<string, IndexShape> = {};
      const list = client.pragma(`index_list(${JSON.stringify(name)})`) as Array<{ name: string; unique: number; origin: string; partial: number }>;
      for (const idx of list.filter((i) => i.origin !== 'pk')) {
        const row = client.prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`).get(idx.name) as { sql: string | null } | undefined;
        const definition = row?.sql;
        if (!definition) throw new Error(`index ${idx.name} of ${name} has no CREATE INDEX statement (an automatic index): compare it by hand`);
        const open = definition.indexOf('(');
        let depth = 0;
        let close = open;
        for (let i = open; i < definition.length; i++) {
          if (definition[i] === '(') depth++;
          if (definition[i] === ')' && --depth === 0) {
            close = i;
            break;
          }
        }
        const rest = definition.slice(close + 1).trim();
        indexes[idx.name] = {
          columns: splitTopLevel(definition.slice(open + 1, close)).map(normalizeSql),
          unique: idx.unique === 1,
          where: /^WHERE\b/i.test(rest) ? normalizeSql(rest.replace(/^WHERE\b/i, '')) : null,
        };
      }
      const fkRows = client.pragma(`foreign_key_list(${JSON.stringify(name)})`) as Array<{
        id: number;
        seq: number;
        table: string;
        from: string;
        to: string;
        on_update: string;
        on_delete: string;
      }>;
      const byId = new Map<number, typeof fkRows>();
      for (const r of fkRows) byId.set(r.id, [...(byId.get(r.id) ?? []), r]);
      const foreignKeys = [...byId.values()]
        .map((rows) => {
          const sorted = rows.sort((a, b) => a.seq - b.seq);
          const first = sorted[0]!;
          return fkKey(
            sorted.map((r) => r.from),
            first.table,
            sorted.map((r) => r.to),
            first.on_update,
            first.on_delete,
          );
        })
        .sort();
      catalog[name] = { columns, primaryKey, indexes, foreignKeys };
    }
    return catalog;
  } finally {
    client.close();
  }
}

function fkKey(columns: string[], table: string, foreignColumns: string[], onUpdate: string, onDelete: string): string {
  return `(${columns.join(', ')}) -> ${table}(${foreignColumns.join(', ')}) on update ${onUpdate.toLowerCase()} on delete ${onDelete.toLowerCase()}`;
}

const PG_ACTIONS: Record<string, string> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };

async function readPostgresCatalog(url: string): Promise<Catalog> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const q = async <T>(text: string): Promise<T[]> => (await client.query(text)).rows as T[];
    const catalog: Catalog = {};
    const tables = await q<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    for (const { table_name } of tables) catalog[table_name] = { columns: {}, primaryKey: [], indexes: {}, foreignKeys: [] };
    const columns = await q<{
      table_name: string;
      column_name: string;
      data_type: string;
      is_nullable: string;
      column_default: string | null;
      is_identity: string;
    }>(`SELECT table_name, column_name, data_type, is_nullable, column_default, is_identity FROM information_schema.columns WHERE table_schema = 'public'`);
    for (const c of columns) {
      const table = catalog[c.table_name];
      if (!table) continue;
      table.columns[c.column_name] = {
        family: pgFamily(c.data_type),
        notNull: c.is_nullable === 'NO',
        default: normalizeDefault(c.column_default),
        generatedKey: c.is_identity === 'YES',
      };
    }
    const keys = await q<{
      table_name: string;
      contype: string;
      columns: string[];
      foreign_table: string | null;
      foreign_columns: string[] | null;
      upd: string;
      del: string;
    }>(`
      SELECT rel.relname AS table_name, con.contype,
             ARRAY(SELECT att.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = k.n ORDER BY k.o) AS columns,
             frel.relname AS foreign_table,
             CASE WHEN con.contype = 'f' THEN ARRAY(SELECT att.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, o) JOIN pg_attribute att ON att.attrelid = con.confrelid AND att.attnum = k.n ORDER BY k.o) END AS foreign_columns,
             con.confupdtype AS upd, con.confdeltype AS del
        FROM pg_constraint con
        JOIN pg_class rel ON rel.oid = con.conrelid
        JOIN pg_namespace ns ON ns.oid = rel.relnamespace AND ns.nspname = 'public'
        LEFT JOIN pg_class frel ON frel.oid = con.confrelid
       WHERE con.contype IN ('p', 'f')`);
    for (const k of keys) {
      const table = catalog[k.table_name];
      if (!table) continue;
      if (k.contype === 'p') table.primaryKey = k.columns;
      else table.foreignKeys.push(fkKey(k.columns, k.foreign_table ?? '?', k.foreign_columns ?? [], PG_ACTIONS[k.upd] ?? k.upd, PG_ACTIONS[k.del] ?? k.del));
    }
    for (const table of Object.values(catalog)) table.foreignKeys.sort();
    const indexes = await q<{ table_name: string; index_name: string; unique: boolean; columns: string[]; predicate: string | null }>(`
      SELECT t.relname AS table_name, i.relname AS index_name, x.indisunique AS unique,
             ARRAY(SELECT pg_get_indexdef(x.indexrelid, k, true) FROM generate_series(1, x.indnkeyatts) k ORDER BY k) AS columns,
             pg_get_expr(x.indpred, x.indrelid, true) AS predicate
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class t ON t.oid = x.indrelid
        JOIN pg_namespace ns ON ns.oid = t.relnamespace AND ns.nspname = 'public'
       WHERE NOT x.indisprimary`);
    for (const idx of indexes) {
      const table = catalog[idx.table_name];
      if (!table) continue;
      table.indexes[idx.index_name] = {
        columns: idx.columns.map(normalizeSql),
        unique: idx.unique,
        where: idx.predicate === null ? null : normalizeSql(idx.predicate),
      };
    }
    return catalog;
  } finally {
    await client.end();
  }
}

/** Every difference between two catalogs, one line each (empty when they agree). */
function compareCatalogs(sqlite: Catalog, postgres: Catalog): string[] {
  const out: string[] = [];
  const show = (v: unknown) => JSON.stringify(v);
  const names = (a: object, b: object) => [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const tableName of names(sqlite, postgres)) {
    const a = sqlite[tableName];
    const b = postgres[tableName];
    if (!a || !b) {
      out.push(`table ${tableName}: only in ${a ? 'SQLite' : 'PostgreSQL'}`);
      continue;
    }
    for (const column of names(a.columns, b.columns)) {
      const ca = a.columns[column];
      const cb = b.columns[column];
      if (!ca || !cb) out.push(`${tableName}.${column}: column only in ${ca ? 'SQLite' : 'PostgreSQL'}`);
      else
        for (const key of ['family', 'notNull', 'default', 'generatedKey'] as const)
          if (ca[key] !== cb[key]) out.push(`${tableName}.${column}: ${key} ${show(ca[key])} on SQLite, ${show(cb[key])} on PostgreSQL`);
    }
    if (show(a.primaryKey) !== show(b.primaryKey)) out.push(`${tableName}: primary key ${show(a.primaryKey)} on SQLite, ${show(b.primaryKey)} on PostgreSQL`);
    for (const index of names(a.indexes, b.indexes)) {
      const ia = a.indexes[index];
      const ib = b.indexes[index];
      if (!ia || !ib) out.push(`${tableName}: index ${index} only in ${ia ? 'SQLite' : 'PostgreSQL'}`);
      else
        for (const key of ['columns', 'unique', 'where'] as const)
          if (show(ia[key]) !== show(ib[key])) out.push(`${tableName}: index ${index} ${key} ${show(ia[key])} on SQLite, ${show(ib[key])} on PostgreSQL`);
    }
    for (const fk of a.foreignKeys.filter((f) => !b.foreignKeys.includes(f))) out.push(`${tableName}: foreign key ${fk} only in SQLite`);
    for (const fk of b.foreignKeys.filter((f) => !a.foreignKeys.includes(f))) out.push(`${tableName}: foreign key ${fk} only in PostgreSQL`);
  }
  return out;
}

describe('schema parity: db/migrations on SQLite and db/migrations-pg on PostgreSQL', () => {
  let server: TestPostgres;
  let sqlite: Catalog;
  let postgres: Catalog;

  beforeAll(async () => {
    server = await startPostgres();
    const db = openPostgres(server.url, { poolSize: 2 });
    try {
      await applyPostgresMigrations(db);
    } finally {
      await db.$client.end();
    }
    sqlite = readSqliteCatalog(tempDbFile());
    postgres = await readPostgresCatalog(server.url);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('reads every table of db/schema from both catalogs, with their columns and indexes', () => {
    const defined = (Object.values(sqliteSchema) as unknown[]).filter((v): v is SQLiteTable => is(v, SQLiteTable)).map((t) => getTableConfig(t));
    expect(Object.keys(sqlite).sort()).toEqual(defined.map((t) => t.name).sort());
    expect(Object.keys(postgres).sort()).toEqual(defined.map((t) => t.name).sort());
    for (const t of defined) {
      expect(Object.keys(sqlite[t.name]!.columns).sort(), t.name).toEqual(t.columns.map((c) => c.name).sort());
      expect(Object.keys(postgres[t.name]!.indexes).length, t.name).toBeGreaterThanOrEqual(t.indexes.length);
    }
    // the shapes the comparison relies on are read, not left empty
    expect(sqlite.login_events!.indexes.login_events_summary_ts_idx).toEqual({ columns: ['ts'], unique: false, where: 'last_ts is not null' });
    expect(postgres.user_groups!.primaryKey).toEqual(['user_id', 'group_id']);
    expect(postgres.sessions!.foreignKeys).toEqual(['(user_id) -> users(id) on update no action on delete cascade']);
    expect(postgres.login_events!.columns.id).toEqual({ family: 'integer', notNull: true, default: null, generatedKey: true });
  });

  it('has the same tables, columns, primary keys, unique and other indexes and foreign keys on both', () => {
    expect(compareCatalogs(sqlite, postgres)).toEqual([]);
  });

  it('reports a dropped index, a changed nullability, default, partial predicate and foreign key (a scratch PostgreSQL database)', async () => {
    const url = await server.createDatabase();
    const db = openPostgres(url, { poolSize: 1 });
    try {
      await applyPostgresMigrations(db);
      await db.$client.query(`
        DROP INDEX users_status_idx;
        ALTER TABLE users ALTER COLUMN email SET NOT NULL;
        ALTER TABLE users ALTER COLUMN search_text SET DEFAULT 'x';
        DROP INDEX login_events_summary_ts_idx;
        CREATE INDEX login_events_summary_ts_idx ON login_events (ts) WHERE attempts > 1;
        ALTER TABLE sessions DROP CONSTRAINT sessions_user_id_users_id_fk;
        ALTER TABLE sessions ADD CONSTRAINT sessions_user_id_users_id_fk FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE RESTRICT;
        CREATE TABLE extra (id integer);`);
    } finally {
      await db.$client.end();
    }
    expect(compareCatalogs(sqlite, await readPostgresCatalog(url))).toEqual([
      'table extra: only in PostgreSQL',
      'login_events: index login_events_summary_ts_idx where "last_ts is not null" on SQLite, "attempts>1" on PostgreSQL',
      'sessions: foreign key (user_id) -> users(id) on update no action on delete cascade only in SQLite',
      'sessions: foreign key (user_id) -> users(id) on update no action on delete restrict only in PostgreSQL',
      'users.email: notNull false on SQLite, true on PostgreSQL',
      `users.search_text: default "''" on SQLite, "'x'" on PostgreSQL`,
      'users: index users_status_idx only in SQLite',
    ]);
  });
});
