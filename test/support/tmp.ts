import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { isPostgresUrl } from '@/db/client';
import { freshPostgresDatabase } from './test-database';

/** A fresh temporary folder, removed after the test file. */
export function tempDir(prefix = 'ice-sso-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A path for a new SQLite database file in a fresh temporary folder; under the PostgreSQL run of
 * the suites (vitest.pg.config.mts), the URL of a fresh PostgreSQL database instead, which
 * `openDb()` opens the same way.
 */
export function tempDbFile(): string {
  return freshPostgresDatabase() ?? path.join(tempDir(), 'ice-sso.db');
}

/** The `DATABASE_URL` of a database from {@link tempDbFile}: `file:<path>`, or the PostgreSQL URL itself. */
export function databaseUrlOf(fileOrUrl: string): string {
  return isPostgresUrl(fileOrUrl) ? fileOrUrl : `file:${fileOrUrl}`;
}
