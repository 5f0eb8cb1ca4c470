import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.mts';

/**
 * The integration suites again, on PostgreSQL (docs/platform.md, "PostgreSQL"): every database
 * they open through `tempDbFile()` is a fresh PostgreSQL database of one throwaway cluster.
 */
export default mergeConfig(base, {
  test: {
    include: [
      'server/login/**/*.test.ts',
      'server/sessions/**/*.test.ts',
      'server/directory/**/*.test.ts',
      'server/audit/**/*.test.ts',
      'server/audit-reports/**/*.test.ts',
      'server/settings/**/*.test.ts',
      'server/trpc/**/*.test.ts',
      'server/graph/**/*.test.ts',
      'server/console-auth/**/*.test.ts',
      'server/lib/**/*.test.ts',
    ],
    globalSetup: ['./scripts/vitest-global-setup.ts', './scripts/vitest-pg-setup.ts'],
  },
});
