import 'server-only';
import path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

/*
 * PostgreSQL behind the same synchronous data-access code as SQLite (docs/decisions.md,
 * "PostgreSQL at run time"). The domains call better-sqlite3's API (drizzle's sqlite-core queries, prepared
 * statements, `transaction(fn).immediate()`); `BridgeClient` implements that API over
 * node-postgres, which runs in a worker thread (db/pg-bridge-worker.cjs). Each call posts the
 * statement to the worker and waits on a shared flag for its answer, as a SQLite call waits for
 * the file: the event loop is held for one round trip per statement. The SQL is the SQLite text,
 * translated once per statement by {@link toPostgresSql}.
 */

/**
 * Longest the main thread waits for one answer before treating the database as unavailable: the
 * statement timeout (3 s) plus a margin; the worker then drops that connection. The
 * process waits meanwhile, so this bounds how long a database that stops answering (a network
 * black hole) can hold it; /readyz turns 503 right after (docs/operations.md, "PostgreSQL").
 */
const ANSWER_TIMEOUT_MS = 4_000;

export interface BridgeOptions {
  poolSize: number;
  /** Passed to PostgreSQL as `statement_timeout`. */
  statementTimeoutMs?: number;
  connectionTimeoutMs?: number;
  idleTimeoutMs?: number;
  /** Folder of the worker script (the project root's `db/`). */
  dbFolder: string;
}

/**
 * Keys of the PostgreSQL advisory locks ice-sso takes (one number each, fixed forever: old and
 * new instances of a rolling upgrade must agree on them).
 */
export const ADVISORY_LOCKS = { migrations: 7_250_431_001, writer: 7_250_431_002 } as const;

interface Answer {
  id: number;
  rows?: unknown[];
  rowCount?: number;
  error?: { message: string; code?: string; constraint?: string };
}

/**
 * An error of PostgreSQL (or of reaching it) with its SQLSTATE as `code`, the shape of
 * node-postgres' own errors (a driver error like better-sqlite3's, not one of the product's:
 * server/lib/database-fault.ts tells outages apart by the code).
 */
function postgresError(message: string, code: string | undefined): Error & { code: string | undefined } {
  return Object.assign(new Error(message), { name: 'PostgresError', code });
}

/** The subset of better-sqlite3's `Database` that drizzle and the domains use, over PostgreSQL. */
export class BridgeClient {
  readonly dialect = 'postgres' as const;
  /** The URL without its password (what logs and messages show). */
  readonly name: string;
  /** The URL itself, for the readiness probe's own connection (never logged). */
  readonly connectionUrl: string;
  readonly memory = false;
  open = true;
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private nextId = 1;
  private depth = 0;
  private readonly translated = new Map<string, string>();
  /**
   * Told of every statement PostgreSQL did not answer in time, whoever ran it (a background task
   * too), before the error is thrown: server/lib/database-outage.ts opens the outage with it.
   */
  onUnanswered: ((err: Error) => void) | null = null;

  constructor(url: string, options: BridgeOptions) {
    this.name = redactUrl(url);
    this.connectionUrl = url;
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const script = path.join(options.dbFolder, 'pg-bridge-worker.cjs');
    this.worker = new Worker(`require(${JSON.stringify(script)})`, {
      eval: true,
      workerData: {
        port: port2,
        flag: this.flag,
        url,
        poolSize: options.poolSize,
        statementTimeoutMs: options.statementTimeoutMs ?? 3_000,
        connectionTimeoutMs: options.connectionTimeoutMs ?? 2_000,
        idleTimeoutMs: options.idleTimeoutMs ?? 30_000,
        writerLock: ADVISORY_LOCKS.writer,
        migrationsLock: ADVISORY_LOCKS.migrations,
      },
      transferList: [port2],
    });
    // the worker must not keep the process alive, nor its exit go unnoticed
    this.worker.unref();
    this.worker.on('error', () => {
      this.open = false;
    });
    this.worker.on('exit', () => {
      this.open = false;
    });
  }

  get inTransaction(): boolean {
    return this.depth > 0;
  }

  /** Sends one request to the worker and waits for its answer. */
  request(msg: Record<string, unknown>, timeoutMs = ANSWER_TIMEOUT_MS): { rows: unknown[]; rowCount: number } {
    if (!this.open) throw new TypeError('The database connection is not open');
    const id = this.nextId++;
    this.port.postMessage({ ...msg, id });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      Atomics.store(this.flag, 0, 0);
      let received = receiveMessageOnPort(this.port);
      // answers to requests given up on earlier are dropped
      while (received && (received.message as Answer).id !== id) received = receiveMessageOnPort(this.port);
      if (received) {
        const answer = received.message as Answer;
        if (answer.error)
          throw postgresError(
            process.env.ICE_SSO_DEBUG_SQL === '1' ? `${answer.error.message} in ${String(msg.sql)}` : answer.error.message,
            answer.error.code,
          );
        return { rows: (answer.rows ?? []).map(toBuffers), rowCount: answer.rowCount ?? 0 };
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        // the connection that did not answer is dropped in the worker (inside a transaction or not)
        this.port.postMessage({ op: 'abandon', id: this.nextId++ });
        const err = postgresError('PostgreSQL did not answer in time', '57014');
        this.onUnanswered?.(err);
        throw err;
      }
      Atomics.wait(this.flag, 0, 0, left);
    }
  }

  /** Applies the PostgreSQL migrations in `folder` (under an advisory lock: instances starting together take turns). */
  migrate(folder: string): void {
    this.request({ op: 'migrate', folder }, 120_000);
  }

  prepare(sql: string): BridgeStatement {
    let text = this.translated.get(sql);
    if (text === undefined) {
      text = toPostgresSql(sql);
      if (this.translated.size >= 1024) this.translated.clear();
      this.translated.set(sql, text);
    }
    return new BridgeStatement(this, text);
  }

  /** Runs SQL text without parameters (several statements allowed). */
  exec(sql: string): this {
    this.request({ op: 'query', sql: toPostgresSql(sql), params: [] });
    return this;
  }

  /** SQLite pragmas have no PostgreSQL meaning: reads answer undefined, writes do nothing. */
  pragma(_source: string, _options?: unknown): undefined {
    return undefined;
  }

  /** SQL functions are created by the migrations on PostgreSQL (db/migrations-pg). */
  function(): this {
    return this;
  }

  /**
   * better-sqlite3's `transaction(fn)`: the returned function runs `fn` in a transaction
   * (`.immediate()` / `.exclusive()` also take the deployment-wide writer lock; `.deferred()` and
   * a plain call read one snapshot); nested calls become savepoints.
   */
  transaction<A extends unknown[], T>(fn: (...args: A) => T) {
    const run =
      (lock: boolean) =>
      (...args: A): T => {
        if (this.depth > 0) return this.savepoint(() => fn(...args));
        this.request({ op: 'begin', lock });
        this.depth = 1;
        try {
          const result = fn(...args);
          if (result && typeof (result as { then?: unknown }).then === 'function') throw new TypeError('Transaction function cannot return a promise');
          this.depth = 0;
          this.request({ op: 'commit' });
          return result;
        } catch (err) {
          if (this.depth > 0) {
            this.depth = 0;
            try {
              this.request({ op: 'rollback' });
            } catch {
              // the connection is gone: PostgreSQL rolls back on its own
            }
          }
          throw err;
        }
      };
    return Object.assign(run(false), { deferred: run(false), immediate: run(true), exclusive: run(true) });
  }

  private savepoint<T>(fn: () => T): T {
    const name = `sp${this.depth}`;
    this.request({ op: 'query', sql: `SAVEPOINT ${name}`, params: [] });
    this.depth++;
    try {
      const result = fn();
      this.depth--;
      this.request({ op: 'query', sql: `RELEASE SAVEPOINT ${name}`, params: [] });
      return result;
    } catch (err) {
      this.depth--;
      this.request({ op: 'query', sql: `ROLLBACK TO SAVEPOINT ${name}`, params: [] });
      throw err;
    }
  }

  close(): void {
    if (!this.open) return;
    try {
      this.request({ op: 'close' }, 5_000);
    } catch {
      // closing anyway
    }
    this.open = false;
    this.port.close();
    void this.worker.terminate();
  }
}

/** The subset of better-sqlite3's `Statement` in use: run, get, all, iterate, raw, pluck. */
export class BridgeStatement {
  private isRaw = false;
  private isPluck = false;
  constructor(
    private readonly client: BridgeClient,
    readonly source: string,
  ) {}

  raw(toggle = true): this {
    this.isRaw = toggle;
    if (toggle) this.isPluck = false;
    return this;
  }

  pluck(toggle = true): this {
    this.isPluck = toggle;
    if (toggle) this.isRaw = false;
    return this;
  }

  safeIntegers(): this {
    return this;
  }

  run(...params: unknown[]): { changes: number; lastInsertRowid: number } {
    const { rowCount } = this.client.request({ op: 'query', sql: this.source, params: paramsOf(params), array: true });
    return { changes: rowCount, lastInsertRowid: 0 };
  }

  all(...params: unknown[]): unknown[] {
    const { rows } = this.client.request({ op: 'query', sql: this.source, params: paramsOf(params), array: this.isRaw || this.isPluck });
    return this.isPluck ? (rows as unknown[][]).map((r) => r[0]) : rows;
  }

  get(...params: unknown[]): unknown {
    return this.all(...params)[0];
  }

  iterate(...params: unknown[]): IterableIterator<unknown> {
    return this.all(...params)[Symbol.iterator]();
  }
}

/** better-sqlite3 takes positional values; booleans and undefined are not SQLite values. */
function paramsOf(params: unknown[]): unknown[] {
  const flat = params.length === 1 && Array.isArray(params[0]) ? (params[0] as unknown[]) : params;
  return flat.map((v) => (v === undefined ? null : typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'bigint' ? v.toString() : v));
}

/** bytea arrives from the worker as Uint8Array (structured clone): make it a Buffer again. */
function toBuffers(row: unknown): unknown {
  if (Array.isArray(row)) return row.map((v) => (v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v));
  if (row && typeof row === 'object') {
    for (const [k, v] of Object.entries(row)) {
      if (v instanceof Uint8Array && !Buffer.isBuffer(v)) (row as Record<string, unknown>)[k] = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    }
  }
  return row;
}

/**
 * SQLite statement text as PostgreSQL reads it: `?` → `$n`, `INDEXED BY x` dropped (PostgreSQL
 * plans for itself), `ice_lower(` → `lower(` (the PostgreSQL indexes are on lower()),
 * `CAST(… AS INTEGER)` → BIGINT (millisecond times overflow int4), `INSERT OR IGNORE` →
 * `ON CONFLICT DO NOTHING`. Quoted strings and identifiers are left alone.
 */
export function toPostgresSql(sql: string): string {
  let out = '';
  let n = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const end = closingQuote(sql, i);
      out += sql.slice(i, end);
      i = end;
      continue;
    }
    if (c === '?') {
      // `?NNN` numbered parameters are not used; a bare ? is the next one
      out += `$${++n}`;
      i++;
      continue;
    }
    out += c;
    i++;
  }
  out = out
    .replace(/\s+NOT\s+INDEXED\b/gi, '')
    .replace(/\s+INDEXED\s+BY\s+("[^"]+"|\w+)/gi, '')
    .replace(/\bice_lower\s*\(/gi, 'lower(')
    .replace(/\bAS\s+INTEGER\s*\)/gi, 'AS BIGINT)')
    // drizzle's sqlite-core qualifies the conflict target's columns; PostgreSQL wants them bare
    .replace(/\bon conflict\s*\(([^)]*)\)/gi, (_m, cols: string) => `on conflict (${cols.replace(/"[^"]+"\./g, '')})`);
  out = out
    // unquoted aliases fold to lower case in PostgreSQL; the rows are read by their camelCase names
    .replace(/\bAS\s+([a-z_][a-z0-9_]*[A-Z][A-Za-z0-9_]*)\b/g, 'AS "$1"')
    .replace(/\binstr\s*\(/gi, 'strpos(')
    .replace(/\bjson_extract\s*\(([^(),]+),\s*'\$\.(\w+)'\)/gi, (_m, doc: string, key: string) => `(CAST(${doc} AS json) ->> '${key}')`)
    // SQLite's CROSS JOIN … ON fixes the join order; PostgreSQL knows only JOIN … ON
    .replace(/\bCROSS\s+JOIN\s+(\w+(?:\s+AS\s+\w+)?)\s+ON\b/gi, 'JOIN $1 ON');
  out = out.replace(/\bjson_each\s*\(([^()]+)\)/gi, (_m, arg: string) => `json_array_elements_text(CAST(${arg} AS json))`);
  if (/^\s*insert\s/i.test(out)) out = defaultsForOmittedValues(out);
  if (/\border\s+by\b/i.test(out)) out = nullsAsSQLiteOrdersThem(out);
  if (/^\s*INSERT\s+OR\s+IGNORE\s+/i.test(out)) {
    out = out.replace(/^(\s*)INSERT\s+OR\s+IGNORE\s+/i, '$1INSERT ');
    const returning = /\sRETURNING\s/i.exec(out);
    out = returning
      ? `${out.slice(0, returning.index)} ON CONFLICT DO NOTHING${out.slice(returning.index)}`
      : `${out.replace(/;\s*$/, '')} ON CONFLICT DO NOTHING`;
  }
  return out;
}

/**
 * drizzle's sqlite-core writes `null` (lower case, unquoted) in VALUES for a column the insert
 * leaves out (an explicit null is a parameter); PostgreSQL must be told `default`, or an
 * identity column refuses the null.
 */
function defaultsForOmittedValues(sql: string): string {
  const start = /\svalues\s*\(/i.exec(sql);
  if (!start) return sql;
  const tail = /\s(on conflict|returning)\s/i.exec(sql.slice(start.index));
  const end = tail ? start.index + tail.index : sql.length;
  let section = '';
  for (let i = start.index; i < end;) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const close = Math.min(closingQuote(sql, i), end);
      section += sql.slice(i, close);
      i = close;
    } else if (sql.startsWith('null', i) && !/\w/.test(sql[i - 1] ?? '') && !/\w/.test(sql[i + 4] ?? '')) {
      section += 'default';
      i += 4;
    } else {
      section += c;
      i++;
    }
  }
  return sql.slice(0, start.index) + section + sql.slice(end);
}

/**
 * SQLite sorts NULL before every value, PostgreSQL after: each ORDER BY term gets `NULLS FIRST`
 * (ascending) or `NULLS LAST` (descending), so that keyset pages written for SQLite's order
 * (docs/platform.md) walk the same rows in the same order.
 */
function nullsAsSQLiteOrdersThem(sql: string): string {
  let out = '';
  let i = 0;
  const re = /\border\s+by\s+/gi;
  for (let m = re.exec(sql); m; m = re.exec(sql)) {
    out += sql.slice(i, m.index + m[0].length);
    let depth = 0;
    let j = m.index + m[0].length;
    let term = '';
    const terms: string[] = [];
    for (; j < sql.length;) {
      const c = sql[j]!;
      if (c === "'" || c === '"') {
        const close = closingQuote(sql, j);
        term += sql.slice(j, close);
        j = close;
        continue;
      }
      if (depth === 0 && (c === ')' || c === ';' || /^\s+(limit|offset|union|for|fetch)\b/i.test(sql.slice(j, j + 12)))) break;
      if (c === '(') depth++;
      if (c === ')') depth--;
      if (c === ',' && depth === 0) {
        terms.push(term);
        term = '';
      } else term += c;
      j++;
    }
    terms.push(term);
    out += terms
      .map((t) => {
        if (/\bnulls\s+(first|last)\s*$/i.test(t)) return t;
        const trimmed = t.replace(/\s+$/, '');
        return `${trimmed}${/\bdesc$/i.test(trimmed) ? ' NULLS LAST' : ' NULLS FIRST'}${t.slice(trimmed.length)}`;
      })
      .join(',');
    i = j;
    re.lastIndex = j;
  }
  return out + sql.slice(i);
}

function closingQuote(sql: string, start: number): number {
  const q = sql[start]!;
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === q) {
      if (sql[i + 1] === q) i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}

/** `postgres://user:secret@host/db` → `postgres://user@host/db`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    return u.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

/** Whether a database handle is PostgreSQL behind the bridge (the few places where the dialects differ). */
export function isBridgeClient(client: unknown): client is BridgeClient {
  // by its mark, not instanceof: Next.js bundles its own copy of this module beside the custom server's
  return (client as { dialect?: unknown } | null)?.dialect === 'postgres';
}
