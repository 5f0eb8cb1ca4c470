import { defineConfig, devices } from '@playwright/test';
import { e2eEnvironment } from './e2e/fixtures/environment';

/**
 * Two real servers for the browser suite: the Entra emulator over HTTPS (MSAL insists on
 * https) and ice-sso itself (`npm start` on a fresh SQLite file), trusting the emulator's
 * self-signed certificate through NODE_EXTRA_CA_CERTS. Chromium is Debian's.
 */
const env = e2eEnvironment();

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export default defineConfig({
  testDir: './e2e',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  outputDir: './test-results/playwright',
  use: {
    baseURL: env.appOrigin,
    trace: 'retain-on-failure',
    ignoreHTTPSErrors: true,
  },
  projects: [
    {
      name: 'api',
      testMatch: /api\/.*\.spec\.ts/,
    },
    {
      name: 'chromium',
      testIgnore: /api\/.*\.spec\.ts/,
      use: {
        ...devices['Desktop Chrome'],
        ignoreHTTPSErrors: true,
        launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs },
      },
    },
  ],
  webServer: [
    {
      name: 'dev-entra',
      command: `node --require ./scripts/preload.cjs dev-entra/main.ts --https --host 127.0.0.1 --port ${env.entraPort} --cert-dir ${env.certDir}`,
      url: `${env.entraOrigin}/common/discovery/v2.0/keys`,
      ignoreHTTPSErrors: true,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore',
    },
    {
      name: 'ice-sso',
      command: 'node scripts/start.mjs',
      url: `${env.appOrigin}/`,
      reuseExistingServer: false,
      timeout: 180_000,
      stdout: 'pipe',
      env: {
        PORT: String(env.appPort),
        HOST: '127.0.0.1',
        DATABASE_URL: `file:${env.dbFile}`,
        NODE_EXTRA_CA_CERTS: env.certFile,
        // warnings and errors only: at info every request writes its access line, which would drown the suite's output
        LOG_LEVEL: 'warn',
        PUBLIC_URL: env.appOrigin,
        NEXT_TELEMETRY_DISABLED: '1',
      },
    },
  ],
});
