import { defineConfig } from 'vitest/config';
import base from './vitest.config.mts';

/**
 * The in-process tests that exercise server/entra, server/sessions and server/login, for Stryker. No global
 * setup: nothing here starts the production server, so nothing needs a `next build`.
 * (Spread, not mergeConfig: that would concatenate `include` and `globalSetup` with the base's.)
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    globalSetup: [],
    include: ['server/entra/**/*.test.ts', 'server/sessions/**/*.test.ts', 'server/login/**/*.test.ts'],
    // one worker reused across Stryker's runs instead of a fresh one per file and run (several
    // times faster); the fixtures reset process-wide state (test/support/process-state.ts)
    isolate: false,
  },
});
