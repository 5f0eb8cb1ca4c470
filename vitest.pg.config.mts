import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.mts';

/**
 * The suites again, on PostgreSQL (docs/decisions.md, "PostgreSQL at run time"): every database a test opens
 * through `tempDbFile()` is a fresh PostgreSQL database of one throwaway cluster, and every
 * server a test starts gets its URL. Left out: the suites of SQLite's own machinery (the copy
 * from SQLite, its backup, the schema generator and parity checks, which start PostgreSQL
 * themselves, and the PostgreSQL-only suites that start their own cluster in the SQLite run) and the
 * browser-free script tests that make their own SQLite files.
 */
const config = mergeConfig(base, defineConfig({ test: { globalSetup: ['./scripts/vitest-global-setup.ts', './scripts/vitest-pg-setup.ts'] } }));
config.test!.include = ['server/**/*.test.ts', 'test/**/*.test.ts', 'config/**/*.test.ts'];
config.test!.exclude = [
  ...(base.test?.exclude ?? []),
  'server/cli/db-copy.test.ts',
  'server/cli/db.test.ts',
  'server/lib/database-fault.test.ts',
  'test/schema-parity.test.ts',
  'test/scripts/**',
  'test/layers.test.ts',
  // PostgreSQL's own suites, which start their cluster in the SQLite run already
  'test/postgres-outage.test.ts',
  'server/settings/notify-task.test.ts',
];
config.test!.globalSetup = ['./scripts/vitest-global-setup.ts', './scripts/vitest-pg-setup.ts'];
config.test!.setupFiles = ['./scripts/vitest-pg-file-setup.ts'];
export default config;
