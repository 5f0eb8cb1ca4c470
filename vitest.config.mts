import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: path.resolve(import.meta.dirname) + '/' },
      // outside Next there is no browser bundle for the marker to protect
      { find: /^server-only$/, replacement: path.resolve(import.meta.dirname, 'scripts/empty.cjs') },
    ],
  },
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.next/**', 'e2e/**', 'data/**', '.stryker-tmp/**'],
    environment: 'node',
    globalSetup: ['./scripts/vitest-global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    env: { ICE_SSO_ROOT: import.meta.dirname, LOG_LEVEL: 'silent' },
  },
});
