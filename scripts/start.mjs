#!/usr/bin/env node
// `npm start`: check the environment, build the console if the sources changed since the last
// build, then serve (migrations are applied when the database is opened). `--dev` serves with
// hot reload.
import { createRequire } from 'node:module';
import { buildIfNeeded } from './build-if-needed.mjs';

const require = createRequire(import.meta.url);
const dev = process.argv.includes('--dev');
process.env.NEXT_TELEMETRY_DISABLED ??= '1';

require('./preload.cjs');
// a bad variable stops the start at once, before a build that would be wasted
const { getEnv, EnvError } = require('@/config/env');
try {
  getEnv();
} catch (err) {
  if (!(err instanceof EnvError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}
// tests that already built (or only use the direct routes) skip the check
if (!dev && process.env.ICE_SSO_SKIP_BUILD !== '1') buildIfNeeded();
const { serve } = require('../server/http/serve.ts');
await serve({ dev });
