'use strict';
/*
 * The PostgreSQL side of db/pg-bridge.ts: a worker thread that owns the node-postgres pool and
 * answers one request at a time from the main thread, which waits on a shared flag (Atomics) and
 * reads the answer synchronously (receiveMessageOnPort). See docs/decisions.md, "PostgreSQL at run time".
 *
 * Requests: { id, op: 'query', sql, params, array } · { id, op: 'begin', lock } · { id, op: 'commit' }
 * · { id, op: 'rollback' } · { id, op: 'migrate', folder } · { id, op: 'close' }.
 * Answers: { id, rows, rowCount } or { id, error: { message, code } }.
 */
const path = require('node:path');
const { workerData } = require('node:worker_threads');
const pg = require('pg');

const { port, flag, url, poolSize, statementTimeoutMs, connectionTimeoutMs, idleTimeoutMs, writerLock, migrationsLock } = workerData;

// int8 (ids, millisecond times, counts) and numeric (sum, avg) as numbers, booleans as 0/1: what
// better-sqlite3 gives for the same queries on SQLite, so one set of queries reads the same values
const INT8 = 20;
const NUMERIC = 1700;
const BOOL = 16;
const asNumber = (value) => {
  const n = Number(value);
  return Number.isSafeInteger(n) || !Number.isInteger(n) ? n : value;
};
const types = {
  getTypeParser(oid, format) {
    if (oid === INT8 || oid === NUMERIC) return asNumber;
    if (oid === BOOL) return (v) => (v === 't' || v === 'true' ? 1 : 0);
    return pg.types.getTypeParser(oid, format);
  },
};

const pool = new pg.Pool({
  connectionString: url,
  max: poolSize,
  statement_timeout: statementTimeoutMs,
  connectionTimeoutMillis: connectionTimeoutMs,
  idleTimeoutMillis: idleTimeoutMs,
  application_name: 'ice-sso',
  types,
});
// an idle connection's error (server restart, network drop): the pool replaces it
pool.on('error', () => {});
// a connection lost while checked out (a query in flight when the network comes back with a
// reset) emits 'error' besides failing its query; the pool listens only while it is idle, and an
// unheard 'error' would end this worker and with it every later request of the process
pool.on('connect', (client) => client.on('error', () => {}));

/** The connection of the open transaction, if any (the main thread runs one at a time). */
let tx = null;
/**
 * The connection statements outside a transaction use, kept checked out between them: the main
 * thread sends one request at a time, so a pool checkout per statement would only add latency.
 */
let sticky = null;

/** A connection being opened in the background (after the first one was lost), or null. */
let reconnecting = null;
let everConnected = false;

/**
 * The connection for the next request. The first one is awaited (the start's migrations need
 * it). After a connection was lost, a new one is opened in the background and the requests
 * meanwhile fail at once (08006): the main thread waits for every answer, so it must not wait
 * for a connect timeout too (an unreachable host would hold the process 2 s per request).
 */
async function stickyClient() {
  if (sticky) return sticky;
  if (!everConnected) {
    sticky = await connect();
    everConnected = true;
    return sticky;
  }
  if (!reconnecting) {
    reconnecting = connect().then(
      (client) => {
        reconnecting = null;
        if (sticky) client.release();
        else sticky = client;
      },
      () => {
        reconnecting = null;
      },
    );
  }
  const err = new Error(`reconnecting to PostgreSQL${lastConnectError ? ` (last attempt: ${lastConnectError})` : ''}`);
  err.code = '08006';
  throw err;
}

function dropSticky(err) {
  if (sticky && isConnectionError(err)) {
    sticky.release(true);
    sticky = null;
  }
}

/**
 * After a failure to connect, requests fail at once for this long instead of each waiting for
 * the connection timeout: the main thread is blocked while it waits (db/pg-bridge.ts).
 */
const FAIL_FAST_MS = 1000;
let failingSince = 0;
let lastConnectError = null;

/**
 * Whether `err` means the connection is no longer usable: a socket error, a connection-class
 * SQLSTATE (08, 57P0x), or any error of node-postgres' own without a SQLSTATE ("Client has
 * encountered a connection error and is not queryable", "Connection terminated", a timeout): what
 * PostgreSQL itself answers always carries a five-character SQLSTATE.
 */
function isConnectionError(err) {
  const code = err && err.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return /^(08|57P0)/.test(code);
  return !(err && err.code === 'ICE_BRIDGE');
}

function faultOf(err) {
  const code = err && typeof err.code === 'string' ? err.code : undefined;
  // connection-level failures without a SQLSTATE are reported as 08006 (connection failure)
  const mapped = code && /^[0-9A-Z]{5}$/.test(code) ? code : isConnectionError(err) ? '08006' : code;
  return { message: String((err && err.message) || err), code: mapped, constraint: err && err.constraint, detail: undefined };
}

async function connect() {
  if (failingSince && Date.now() - failingSince < FAIL_FAST_MS) {
    const err = new Error(`database unreachable: ${lastConnectError}`);
    err.code = '08006';
    throw err;
  }
  try {
    const client = await pool.connect();
    failingSince = 0;
    return client;
  } catch (err) {
    failingSince = Date.now();
    lastConnectError = String(err && err.message);
    throw err;
  }
}

/**
 * Statements with parameters are prepared once per connection under a name of their own (node-
 * postgres remembers which connection has which), so PostgreSQL parses and plans each text once
 * instead of at every execution. The list filters make a bounded number of texts; past the bound
 * a statement runs unnamed.
 */
const names = new Map();
const MAX_NAMED = 1000;

function nameOf(sql) {
  let name = names.get(sql);
  if (name === undefined && names.size < MAX_NAMED) {
    name = `ice_${names.size}`;
    names.set(sql, name);
  }
  return name;
}

async function query(client, sql, params, array) {
  const withValues = params && params.length > 0;
  // without values node-postgres uses the simple protocol, which also runs several statements (exec)
  const result = await client.query({
    name: withValues ? nameOf(sql) : undefined,
    text: sql,
    values: withValues ? params : undefined,
    rowMode: array ? 'array' : undefined,
    types,
  });
  return { rows: result.rows, rowCount: result.rowCount ?? 0 };
}

async function handle(msg) {
  switch (msg.op) {
    case 'query': {
      if (tx) return query(tx, msg.sql, msg.params, msg.array);
      const client = await stickyClient();
      try {
        return await query(client, msg.sql, msg.params, msg.array);
      } catch (err) {
        dropSticky(err);
        throw err;
      }
    }
    case 'begin': {
      if (tx) throw Object.assign(new Error('a transaction is already open'), { code: 'ICE_BRIDGE' });
      const client = await stickyClient();
      try {
        // one writer at a time across every instance, the way SQLite's BEGIN IMMEDIATE takes the
        // file's write lock: what a write builds on (the last audit hash) cannot change under it
        await client.query(msg.lock ? `BEGIN; SELECT pg_advisory_xact_lock(${Number(writerLock)})` : 'BEGIN');
      } catch (err) {
        // the transaction may be half open: this connection is not reused
        sticky = null;
        client.release(true);
        throw err;
      }
      tx = client;
      return { rows: [], rowCount: 0 };
    }
    case 'commit':
    case 'rollback': {
      const client = tx;
      tx = null;
      if (!client) return { rows: [], rowCount: 0 };
      try {
        await client.query(msg.op === 'commit' ? 'COMMIT' : 'ROLLBACK');
      } catch (err) {
        if (sticky === client) sticky = null;
        client.release(true);
        throw err;
      }
      return { rows: [], rowCount: 0 };
    }
    case 'abandon': {
      // the main thread gave up waiting (a connection that stopped answering, or a transaction in
      // an unknown state): that connection is thrown away; the next request reconnects in the background
      const stuck = tx || sticky;
      tx = null;
      sticky = null;
      if (stuck) stuck.release(true);
      return { rows: [], rowCount: 0 };
    }
    case 'migrate': {
      const { drizzle } = require('drizzle-orm/node-postgres');
      const { migrate } = require('drizzle-orm/node-postgres/migrator');
      const client = await connect();
      try {
        await client.query('SET statement_timeout = 0');
        await client.query('SELECT pg_advisory_lock($1)', [migrationsLock]);
        try {
          await migrate(drizzle({ client }), { migrationsFolder: path.resolve(msg.folder) });
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [migrationsLock]);
        }
      } finally {
        client.release(true);
      }
      return { rows: [], rowCount: 0 };
    }
    case 'close': {
      if (tx && tx !== sticky) tx.release(true);
      if (sticky) sticky.release(true);
      tx = null;
      sticky = null;
      await pool.end();
      return { rows: [], rowCount: 0 };
    }
    default:
      throw new Error(`unknown bridge request ${msg.op}`);
  }
}

port.on('message', (msg) => {
  handle(msg).then(
    (answer) => reply({ id: msg.id, ...answer }),
    (err) => reply({ id: msg.id, error: faultOf(err) }),
  );
});

function reply(answer) {
  port.postMessage(answer);
  Atomics.store(flag, 0, answer.id);
  Atomics.notify(flag, 0);
}
