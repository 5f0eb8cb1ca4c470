import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/*
 * Each test file of the PostgreSQL run (vitest.pg.config.mts) keeps its audit and Graph keys in a
 * folder of its own: on PostgreSQL they default to <project>/data (db/client.ts, databaseFolder),
 * which the suites must not touch, and files running side by side must not share a key that one
 * of them replaces. Servers a test starts inherit the same variables, so they use the same keys.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ice-sso-pg-keys-'));
process.env.AUDIT_KEY_FILE = path.join(dir, 'audit.key');
process.env.GRAPH_KEY_FILE = path.join(dir, 'graph.key');
