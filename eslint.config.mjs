// ESLint (flat config): Next's rules (core web vitals + TypeScript, through typescript-eslint),
// no import cycles, and the layer rules of docs/architecture.md ("Layers"). test/layers.test.ts
// checks the same layers on the folder graph (relative imports included).
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const TESTS = ['**/*.test.ts', '**/*.test.tsx', '**/test-*.ts', 'test/**', 'e2e/**', 'bench/**'];

/** `@typescript-eslint/no-restricted-imports` patterns: `group` globs of specifiers, `types` true when type-only imports may cross. */
const forbid = (group, message, types = false) => ({ group, message, allowTypeImports: types });
/** The same with a regular expression (for "all but": gitignore-style negation cannot re-include below an excluded folder). */
const forbidRegex = (regex, message, types = false) => ({ regex, message, allowTypeImports: types });

const serverOnly = forbid(
  ['@/server/*', '@/server/**', '@/db/*', '@/db/**', '@/config/*', 'server-only'],
  'browser code imports server code for its types only (import type); shared words and rules live in shared/',
  true,
);
const devEntra = forbid(['@/dev-entra/*', '@/dev-entra/**', '**/dev-entra/**'], 'dev-entra/ is the test identity provider; product code never imports it');
const browser = forbid(
  ['@/components/*', '@/components/**', '@/lib/*', '@/lib/**', '@/app/*', '@/app/**'],
  'server code never imports browser code; what both sides need lives in shared/',
);
const transports = forbid(
  ['@/server/trpc/*', '@/server/trpc/**', '@/server/http/*', '@/server/http/**'],
  'a domain never imports a transport (server/trpc, server/http): the transport calls the domain',
);
const processes = forbid(['@/server/cli/*', '@/server/cli/**', '@/server/boot'], 'only entry points import the CLI and boot');

/** One layer: its files and what they may not import (one object per file set, since a later object replaces the rule). */
const layer = (files, patterns) => ({
  files,
  ignores: TESTS,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
});

export default [
  {
    ignores: [
      'node_modules/**',
      '.next/**',
      'data/**',
      'test-results/**',
      'playwright-report/**',
      'blob-report/**',
      'reports/**',
      '.stryker-tmp/**',
      'next-env.d.ts',
    ],
  },
  ...nextVitals,
  ...nextTs,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    // where eslint-config-next registers the import plugin
    files: ['**/*.{js,jsx,mjs,ts,tsx,mts,cts}'],
    rules: {
      'import/no-cycle': ['error', { ignoreExternal: true }],
      'no-restricted-imports': 'off',
      // the project's convention for a deliberately unused name
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  // CommonJS on purpose: the workers and the preload run under plain Node, outside any bundler
  { files: ['**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  // Playwright fixtures call their `use` callback, which is not React's `use`
  { files: ['e2e/**'], rules: { 'react-hooks/rules-of-hooks': 'off' } },
  // tool configs export their config object, as each tool documents
  { files: ['*.config.mjs', '*.config.mts', '*.config.ts'], rules: { 'import/no-anonymous-default-export': 'off' } },
  // browser code: components/, lib/, and (by file kind) the pages and layouts of app/
  layer(['components/**', 'lib/**'], [serverOnly, devEntra]),
  // routes: pages render components; route handlers call server/ only through the thin handlers of server/http
  layer(
    ['app/**'],
    [forbidRegex('^@/(server/(?!http/)|db/|config/)', 'app/ reaches server/ only through the route handlers of server/http (docs/architecture.md)'), devEntra],
  ),
  // words and rules both sides share: nothing of the project but shared/ itself
  layer(['shared/**'], [forbidRegex('^(@/(?!shared/)|server-only$)', 'shared/ is browser-safe and stands alone: it imports only shared/')]),
  // the bottom: config/ (env) and db/ import nothing from server/
  layer(
    ['config/**'],
    [forbidRegex('^@/(?!shared/)', 'config/ is the bottom layer: it imports only shared/ (browser-safe words and rules, which import nothing)')],
  ),
  layer(
    ['db/**'],
    [
      forbid(['@/server/*', '@/server/**', '@/components/*', '@/lib/*', '@/app/*', '@/shared/*'], 'db/ sits at the bottom: it imports only config/ and itself'),
      devEntra,
    ],
  ),
  // server/lib and background: below every domain
  layer(
    ['server/lib/**', 'server/background.ts'],
    [forbidRegex('^@/server/(?!lib/)', 'server/lib and server/background sit below the domains'), browser, devEntra],
  ),
  // domains never import a transport, the CLI or boot
  layer(
    [
      'server/audit/**',
      'server/audit-reports/**',
      'server/directory/**',
      'server/entra/**',
      'server/health/**',
      'server/graph/**',
      'server/login/**',
      'server/console-auth/**',
      'server/sessions/**',
      'server/settings/**',
    ],
    [transports, processes, browser, devEntra],
  ),
  // tRPC is a transport: it never imports the HTTP door (the door mounts tRPC)
  layer(
    ['server/trpc/**'],
    [
      forbid(['@/server/http/*', '@/server/http/**'], 'server/trpc never imports server/http: the HTTP door mounts tRPC, not the other way round'),
      processes,
      browser,
      devEntra,
    ],
  ),
  layer(['server/http/**', 'server/boot.ts'], [forbid(['@/server/cli/*', '@/server/cli/**'], 'the server never imports the CLI'), browser, devEntra]),
  layer(['server/cli/**'], [browser, devEntra]),
];
