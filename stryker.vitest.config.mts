import { defineConfig } from 'vitest/config';
import base from './vitest.config.mts';

/**
 * The in-process tests that exercise server/entra and server/sessions, for Stryker. No global
 * setup: nothing here starts the production server, so nothing needs a `next build`.
 * (Spread, not mergeConfig: that would concatenate `include` and `globalSetup` with the base's.)
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    globalSetup: [],
    include: [
      'server/entra/**/*.test.ts',
      'server/sessions/**/*.test.ts',
      'server/trpc/access.test.ts',
      'server/trpc/routers/users.test.ts',
      'server/directory/user-status.test.ts',
      'server/directory/user-detail.test.ts',
    ],
  },
});
