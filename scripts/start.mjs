#!/usr/bin/env node
// `npm start`: build the console if the sources changed since the last build, then serve
// (migrations are applied when the database is opened). `--dev` serves with hot reload.
import { createRequire } from 'node:module';
import { buildIfNeeded } from './build-if-needed.mjs';

const require = createRequire(import.meta.url);
const dev = process.argv.includes('--dev');
process.env.NEXT_TELEMETRY_DISABLED ??= '1';

// tests that already built (or only use the direct routes) skip the check
if (!dev && process.env.ICE_SSO_SKIP_BUILD !== '1') buildIfNeeded();
require('./preload.cjs');
const { serve } = require('../server/http/serve.ts');
await serve({ dev });
