// Mutation testing of the validator and the sessions it opens: `npm run test:mutation` (slow;
// not part of `npm test`). Score and disabled mutants: docs/security.md, "Validator tests and
// mutation score". Stryker mutates only code that runs in vitest's own process, so the tests
// it runs are the in-process ones (stryker.vitest.config.mts), not those that start a server.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'stryker.vitest.config.mts' },
  plugins: ['@stryker-mutator/vitest-runner'],
  // every source file of both folders (password-hash-worker.cjs runs in a worker thread, not
  // in vitest's process, and is not TypeScript: it is not mutated)
  mutate: ['server/entra/**/*.ts', 'server/sessions/**/*.ts', 'server/login/**/*.ts', '!**/*.test.ts'],
  coverageAnalysis: 'perTest',
  // The tsconfig has no paths outside the project for Stryker to rewrite: point the option at
  // no file so that step is skipped.
  tsconfigFile: 'no-tsconfig-for-stryker.json',
  // the machine is shared: two workers at most
  concurrency: 2,
  timeoutMS: 20_000,
  // Static mutants (module-level constants: the reason table, zod schemas, limits) are evaluated
  // once at import, so Stryker must run every test for each; 200 of them took 60% of the run.
  // They are left out of the score (docs/security.md says so); reasons-table.test.ts pins the table.
  ignoreStatic: true,
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, reportMutants: true },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['.next', 'data', 'reports', 'test-results', 'playwright-report', 'blob-report', '.stryker-tmp'],
  cleanTempDir: 'always',
};
