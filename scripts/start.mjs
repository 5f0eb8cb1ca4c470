#!/usr/bin/env node
// `npm start`: build the console if the sources changed since the last build, then serve
// (migrations are applied when the database is opened). `--dev` serves with hot reload.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const dev = process.argv.includes('--dev');

if (!dev) ensureBuild();
require('./preload.cjs');
const { serve } = require('../server/http/serve.ts');
await serve({ dev });

function ensureBuild() {
  const stamp = path.join(root, '.next', 'BUILD_ID');
  const builtAt = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
  const sources = ['app', 'server', 'db', 'components', 'lib', 'next.config.mjs', 'postcss.config.mjs', 'package-lock.json', 'tsconfig.json'];
  if (builtAt && !sources.some((s) => newerThan(path.join(root, s), builtAt))) return;
  console.log(builtAt ? 'Sources changed since the last build: building…' : 'First start: building the console…');
  const result = spawnSync(process.execPath, [require.resolve('next/dist/bin/next'), 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function newerThan(p, time) {
  let stat;
  try {
    stat = fs.statSync(p);
  } catch {
    return false;
  }
  if (!stat.isDirectory()) return stat.mtimeMs > time;
  return fs.readdirSync(p).some((name) => !name.startsWith('.') && newerThan(path.join(p, name), time));
}
