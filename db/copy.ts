import 'server-only';
import { is } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type pg from 'pg';
import type { Db } from './client';
import * as schema from './schema';

/*
 * Copies a SQLite deployment into a PostgreSQL database of the same schema (db/schema-pg is
 * generated from db/schema): every table of db/schema, in foreign-key order, with the values
 * exactly as stored (IDs, text, integers, blobs: the audit chain hashes cover them). The
 * caller holds the transactions: one SQLite read transaction (a consistent snapshot while a
 * server keeps writing) and one PostgreSQL transaction (all or nothing).
 */

/** A table to copy: its SQL name, its columns and the tables its foreign keys point to. */
export interface CopyTable {
  name: string;
  columns: string[];
  dependsOn: string[];
}

/** Rows of one INSERT at most (PostgreSQL takes at most 65,535 parameters a statement). */
export const DEFAULT_BATCH_ROWS = 500;
const MAX_PARAMETERS = 65_535;

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Every table of the schema definition (default db/schema, so tables added later are copied
 * too), ordered so that a table comes after the tables its foreign keys reference; ties by name.
 */
export function tablesInCopyOrder(definition: Record<string, unknown> = schema): CopyTable[] {
  const byName = new Map<string, CopyTable>();
  for (const value of Object.values(definition)) {
    if (!is(value, SQLiteTable)) continue;
    const config = getTableConfig(value);
    const dependsOn = config.foreignKeys.map((fk) => getTableConfig(fk.reference().foreignTable).name).filter((n) => n !== config.name);
    byName.set(config.name, { name: config.name, columns: config.columns.map((c) => c.name), dependsOn: [...new Set(dependsOn)].sort() });
  }
  const ordered: CopyTable[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (table: CopyTable, path: string[]) => {
    if (state.get(table.name) === 'done') return;
    if (state.get(table.name) === 'visiting')
      throw new Error(`the foreign keys of db/schema form a cycle (${[...path, table.name].join(' -> ')}): no copy order exists`);
    state.set(table.name, 'visiting');
    for (const dep of table.dependsOn) {
      const target = byName.get(dep);
      if (!target) throw new Error(`table ${table.name} references ${dep}, which is not in db/schema`);
      visit(target, [...path, table.name]);
    }
    state.set(table.name, 'done');
    ordered.push(table);
  };
  for (const name of [...byName.keys()].sort()) visit(byName.get(name)!, []);
  return ordered;
}

/** Tables of the list that hold at least one row on PostgreSQL. */
export async function tablesWithRows(target: pg.ClientBase, tables: readonly CopyTable[]): Promise<string[]> {
  const probes = tables.map((t, i) => `SELECT ${i} AS i WHERE EXISTS (SELECT 1 FROM ${ident(t.name)})`).join(' UNION ALL ');
  const r = await target.query<{ i: number }>(probes);
  return r.rows.map((row) => tables[Number(row.i)]!.name);
}

/** Row counts of each table in the SQLite database (inside the caller's read transaction: the snapshot it copies). */
export function sqliteRowCounts(source: Db, tables: readonly CopyTable[]): Map<string, number> {
  return new Map(tables.map((t) => [t.name, (source.$client.prepare(`SELECT count(*) AS n FROM ${ident(t.name)}`).get() as { n: number }).n]));
}

/** Row counts of each table on PostgreSQL. */
export async function postgresRowCounts(target: pg.ClientBase, tables: readonly CopyTable[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const t of tables) {
    const r = await target.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${ident(t.name)}`);
    counts.set(t.name, Number(r.rows[0]!.n));
  }
  return counts;
}

/** PostgreSQL data type of every column of the tables; a table or column missing there stops the copy. */
async function targetColumnTypes(target: pg.ClientBase, tables: readonly CopyTable[]): Promise<Map<string, string[]>> {
  const r = await target.query<{ table_name: string; column_name: string; data_type: string }>(
    'SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema()',
  );
  const types = new Map<string, string>(r.rows.map((row) => [`${row.table_name}.${row.column_name}`, row.data_type]));
  return new Map(
    tables.map((t) => [
      t.name,
      t.columns.map((c) => {
        const type = types.get(`${t.name}.${c}`);
        if (!type) throw new Error(`the PostgreSQL database has no column ${t.name}.${c}: its migrations are behind this version of ice-sso`);
        return type;
      }),
    ]),
  );
}

/**
 * A stored SQLite value as the parameter PostgreSQL reads back as the same value: integers
 * (read as BigInt, so none rounds) and reals as their exact decimal text, text as is, blobs as
 * bytes. A value the column cannot hold without changing (a blob in a text column, a fraction
 * in an integer one, a NUL in text) stops the copy, naming where; the value is never shown.
 */
function toParameter(value: unknown, type: string, where: () => string): string | Buffer | null {
  if (value === null) return null;
  const refuse = (what: string): never => {
    throw new Error(`${where()} holds ${what}, which the PostgreSQL column (${type}) cannot hold unchanged`);
  };
  switch (type) {
    case 'text':
      if (typeof value !== 'string') return refuse(`a ${Buffer.isBuffer(value) ? 'blob' : typeof value} value`);
      if (value.includes('\u0000')) return refuse('text with a NUL character');
      return value;
    case 'bigint':
    case 'integer':
    case 'smallint': {
      if (typeof value !== 'bigint') return refuse(`a ${Buffer.isBuffer(value) ? 'blob' : typeof value} value`);
      const bits = type === 'bigint' ? 64n : type === 'integer' ? 32n : 16n;
      if (value >= 1n << (bits - 1n) || value < -(1n << (bits - 1n))) return refuse('an integer out of its range');
      return value.toString();
    }
    case 'double precision':
    case 'real':
    case 'numeric':
      if (typeof value === 'bigint') return value.toString();
      if (typeof value !== 'number') return refuse(`a ${Buffer.isBuffer(value) ? 'blob' : typeof value} value`);
      // String() is the shortest text that reads back as the same double; it drops the sign of -0
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bytea':
      if (!Buffer.isBuffer(value)) return refuse(`a ${typeof value} value`);
      return value;
    default:
      throw new Error(`${where()}: no copy rule for the PostgreSQL type ${type}`);
  }
}

export interface CopyRowsOptions {
  /** Rows of one INSERT at most (default 500, fewer for wide tables). */
  batchRows?: number;
  /** Called after each table with the rows it copied. */
  onTable?: (table: string, rows: number) => void;
}

/**
 * Copies every row of the tables, in their order, from SQLite into PostgreSQL by multi-row
 * INSERTs of explicit values (identity columns included: `generated by default` takes them).
 * Reads in rowid order, one batch at a time, so memory stays flat. Call it inside a SQLite read
 * transaction and a PostgreSQL transaction. Returns the rows copied per table.
 */
export async function copyRows(source: Db, target: pg.ClientBase, tables: readonly CopyTable[], options: CopyRowsOptions = {}): Promise<Map<string, number>> {
  const types = await targetColumnTypes(target, tables);
  const copied = new Map<string, number>();
  for (const table of tables) {
    const columnTypes = types.get(table.name)!;
    const perBatch = Math.max(1, Math.min(options.batchRows ?? DEFAULT_BATCH_ROWS, Math.floor(MAX_PARAMETERS / table.columns.length)));
    const select = `SELECT rowid, ${table.columns.map(ident).join(', ')} FROM ${ident(table.name)}`;
    const first = source.$client.prepare(`${select} ORDER BY rowid LIMIT ?`).safeIntegers(true).raw(true);
    const next = source.$client.prepare(`${select} WHERE rowid > ? ORDER BY rowid LIMIT ?`).safeIntegers(true).raw(true);
    const insertHead = `INSERT INTO ${ident(table.name)} (${table.columns.map(ident).join(', ')}) VALUES `;
    let after: bigint | null = null;
    let count = 0;
    for (;;) {
      const rows = (after === null ? first.all(perBatch) : next.all(after, perBatch)) as unknown[][];
      if (rows.length === 0) break;
      const params: Array<string | Buffer | null> = [];
      const tuples: string[] = [];
      for (const row of rows) {
        const rowid = row[0] as bigint;
        const placeholders: string[] = [];
        table.columns.forEach((column, i) => {
          params.push(toParameter(row[i + 1], columnTypes[i]!, () => `${table.name}.${column} (rowid ${rowid})`));
          placeholders.push(`$${params.length}`);
        });
        tuples.push(`(${placeholders.join(', ')})`);
      }
      await target.query(insertHead + tuples.join(', '), params);
      count += rows.length;
      after = rows[rows.length - 1]![0] as bigint;
      if (rows.length < perBatch) break;
    }
    copied.set(table.name, count);
    options.onTable?.(table.name, count);
  }
  return copied;
}

/** An identity sequence after the copy: the last ID it counts as handed out. */
export interface MovedSequence {
  table: string;
  column: string;
  lastId: number;
}

/**
 * Moves each identity sequence of the tables past the copied IDs and past SQLite's
 * AUTOINCREMENT counter (sqlite_sequence), whichever is higher: IDs are never handed out twice,
 * not even those of rows deleted before the copy (the audit chains' retention checkpoints name
 * purged IDs; a new event must not take one of them).
 */
export async function moveSequences(source: Db, target: pg.ClientBase, tables: readonly CopyTable[]): Promise<MovedSequence[]> {
  const names = new Set(tables.map((t) => t.name));
  const identities = await target.query<{ table_name: string; column_name: string }>(
    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES' ORDER BY 1, 2",
  );
  const hasSequenceTable = source.$client.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'").get() !== undefined;
  const moved: MovedSequence[] = [];
  for (const { table_name: table, column_name: column } of identities.rows) {
    if (!names.has(table)) continue;
    const max = await target.query<{ max: string }>(`SELECT coalesce(max(${ident(column)}), 0)::text AS max FROM ${ident(table)}`);
    const counter = hasSequenceTable
      ? (source.$client.prepare('SELECT seq FROM sqlite_sequence WHERE name = ?').safeIntegers(true).get(table) as { seq: bigint } | undefined)
      : undefined;
    const copiedMax = BigInt(max.rows[0]!.max);
    const last = counter && counter.seq > copiedMax ? counter.seq : copiedMax;
    // setval(seq, n, true): the next ID is n + 1; an empty table without a counter starts at 1
    await target.query('SELECT setval(pg_get_serial_sequence(quote_ident($1), $2), $3::bigint, $4)', [
      table,
      column,
      last > 0n ? last.toString() : '1',
      last > 0n,
    ]);
    moved.push({ table, column, lastId: Number(last) });
  }
  return moved;
}

/**
 * Runs `fn` inside one SQLite read transaction on `db`: every read of `fn` on that connection
 * sees one snapshot (WAL), while other processes keep writing. Nothing is written.
 */
export async function inReadSnapshot<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  db.$client.exec('BEGIN');
  try {
    return await fn();
  } finally {
    db.$client.exec('ROLLBACK');
  }
}
