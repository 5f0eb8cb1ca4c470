import crypto from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { isPostgresUrl, openDb } from '@/db/client';
import { BridgeClient } from '@/db/pg-bridge';

/**
 * Under the PostgreSQL run of the suites (vitest.pg.config.mts), a fresh database copied from the
 * migrated template and its URL; null under the SQLite run. Synchronous, like the file path it
 * stands in for (db/pg-bridge.ts).
 */
export function freshPostgresDatabase(): string | null {
  const template = process.env.ICE_SSO_TEST_POSTGRES_TEMPLATE;
  if (process.env.ICE_SSO_TEST_DATABASE !== 'postgres' || !template) return null;
  const url = new URL(template);
  const templateName = url.pathname.slice(1);
  const name = `ice_sso_t_${crypto.randomBytes(6).toString('hex')}`;
  const maintenance = new URL(template);
  maintenance.pathname = '/postgres';
  const admin = new BridgeClient(maintenance.toString(), { poolSize: 1, dbFolder: path.resolve(__dirname, '..', '..', 'db') });
  try {
    // a template cannot be copied while someone is connected to it: this connection goes to the maintenance database
    admin.request({ op: 'query', sql: `CREATE DATABASE ${name} TEMPLATE ${templateName}`, params: [] }, 30_000);
  } finally {
    admin.close();
  }
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Whether this is the PostgreSQL run of the suites: tests of SQLite's own behaviour (its query
 * plans, its change counter, its file) are skipped there, each saying so.
 */
export const onPostgres = process.env.ICE_SSO_TEST_DATABASE === 'postgres';

/**
 * A second, raw connection to a test database, as an intruder (or another process) would hold
 * it: better-sqlite3 on the file, or the same API over PostgreSQL (db/pg-bridge.ts). Only the
 * methods both have: prepare().run/get/all, exec, close.
 */
export function rawConnection(fileOrUrl: string): Pick<Database.Database, 'prepare' | 'exec' | 'close'> {
  if (isPostgresUrl(fileOrUrl)) return openDb(fileOrUrl, { migrate: false }).$client;
  return new Database(fileOrUrl);
}
