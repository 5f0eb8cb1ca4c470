#!/usr/bin/env node
// Builds the Next.js app when any source is newer than the last build (.next/BUILD_ID).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const SOURCES = ['app', 'server', 'db', 'components', 'lib', 'next.config.mjs', 'postcss.config.mjs', 'package-lock.json', 'tsconfig.json'];

export function buildIfNeeded() {
  const stamp = path.join(root, '.next', 'BUILD_ID');
  const builtAt = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
  if (builtAt && !SOURCES.some((s) => newerThan(path.join(root, s), builtAt))) return;
  console.log(builtAt ? 'Sources changed since the last build: building…' : 'First start: building the console…');
  const result = spawnSync(process.execPath, [require.resolve('next/dist/bin/next'), 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function newerThan(p, time) {
  let stat;
  try {
    stat = fs.statSync(p);
  } catch {
    return false;
  }
  if (!stat.isDirectory()) return stat.mtimeMs > time && !p.endsWith('.test.ts');
  return fs.readdirSync(p).some((name) => !name.startsWith('.') && newerThan(path.join(p, name), time));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) buildIfNeeded();
