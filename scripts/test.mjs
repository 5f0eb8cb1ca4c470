#!/usr/bin/env node
// `npm test`: the checks (tsc, ESLint with zero warnings, Prettier; one test each), then the
// unit/integration suite (vitest) on SQLite and again on PostgreSQL, and the browser suite
// (Playwright, Debian's chromium), one after the other; ends with the line `N passed, N failed` summed over all of them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfNeeded } from './build-if-needed.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const results = path.join(root, 'test-results');
fs.mkdirSync(results, { recursive: true });
process.env.NEXT_TELEMETRY_DISABLED = '1';

buildIfNeeded();
const env = { ...process.env, ICE_SSO_SKIP_BUILD: '1' };
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

const suites = [];

// each check is one test: passed or failed, its offenders printed above
for (const [name, cmd, args] of [
  ['tsc', 'tsc', ['--noEmit']],
  ['eslint', 'eslint', ['.', '--max-warnings', '0', '--cache', '--cache-location', 'node_modules/.cache/eslint/']],
  ['prettier', 'prettier', ['--check', '.']],
]) {
  const r = spawnSync(bin(cmd), args, { cwd: root, stdio: 'inherit', env });
  suites.push({ name, passed: r.status === 0 ? 1 : 0, failed: r.status === 0 ? 0 : 1, note: r.status === 0 ? '' : `\`${cmd} ${args.join(' ')}\` failed` });
}

const vitestJson = path.join(results, 'vitest.json');
fs.rmSync(vitestJson, { force: true });
const vitest = spawnSync(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`], {
  cwd: root,
  stdio: 'inherit',
  env,
});
suites.push(countVitest(vitestJson, vitest.status));

// the same suites again on PostgreSQL (a throwaway embedded cluster, or ICE_SSO_TEST_POSTGRES_URL)
const vitestPgJson = path.join(results, 'vitest-postgres.json');
fs.rmSync(vitestPgJson, { force: true });
const vitestPg = spawnSync(
  bin('vitest'),
  ['run', '--config', 'vitest.pg.config.mts', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestPgJson}`],
  {
    cwd: root,
    stdio: 'inherit',
    env,
  },
);
suites.push({ ...countVitest(vitestPgJson, vitestPg.status), name: 'vitest (PostgreSQL)' });

const pwJson = path.join(results, 'playwright.json');
fs.rmSync(pwJson, { force: true });
const pw = spawnSync(bin('playwright'), ['test', '--reporter=list,json'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson },
});
suites.push(countPlaywright(pwJson, pw.status));

const passed = suites.reduce((n, s) => n + s.passed, 0);
const failed = suites.reduce((n, s) => n + s.failed, 0);
for (const s of suites) console.log(`${s.name}: ${s.passed} passed, ${s.failed} failed${s.note ? ` (${s.note})` : ''}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);

function countVitest(file, status) {
  try {
    const r = JSON.parse(fs.readFileSync(file, 'utf8'));
    const crashed = status !== 0 && r.numFailedTests === 0 ? 1 : 0;
    return { name: 'vitest', passed: r.numPassedTests, failed: r.numFailedTests + crashed, note: crashed ? 'a test file failed to run' : '' };
  } catch {
    return { name: 'vitest', passed: 0, failed: 1, note: 'the suite did not run' };
  }
}

function countPlaywright(file, status) {
  try {
    const r = JSON.parse(fs.readFileSync(file, 'utf8'));
    const s = r.stats ?? {};
    const failed = (s.unexpected ?? 0) + (r.errors?.length ? 1 : 0);
    const crashed = status !== 0 && failed === 0 ? 1 : 0;
    return { name: 'playwright', passed: (s.expected ?? 0) + (s.flaky ?? 0), failed: failed + crashed, note: crashed ? 'the run failed outside a test' : '' };
  } catch {
    return { name: 'playwright', passed: 0, failed: 1, note: 'the suite did not run' };
  }
}
