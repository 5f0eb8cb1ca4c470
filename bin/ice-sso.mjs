#!/usr/bin/env node
// The `ice-sso` command line: `npx ice-sso --help`.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
require('../scripts/preload.cjs');
const { main } = require('../server/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
