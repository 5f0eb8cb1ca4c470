// Runs the TypeScript in server/ under plain Node (CLI, custom server): tsx compiles it, and
// 'server-only' (a marker that stops Next from bundling server code into the browser) is
// satisfied, since outside Next there is no browser bundle to protect.
'use strict';
const path = require('node:path');

const root = path.resolve(__dirname, '..');
process.env.ICE_SSO_ROOT = process.env.ICE_SSO_ROOT || root;
process.env.TSX_TSCONFIG_PATH = process.env.TSX_TSCONFIG_PATH || path.join(root, 'tsconfig.json');

const marker = require.resolve('server-only', { paths: [root] });
require.cache[marker] = { id: marker, filename: marker, loaded: true, exports: {}, children: [], paths: [] };
require('tsx/cjs');
