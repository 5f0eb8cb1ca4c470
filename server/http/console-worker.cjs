// The console thread's entry point (console-thread.ts starts it): the TypeScript loader first, as
// for the custom server (scripts/preload.cjs), then Next.js behind its private socket (console-server.ts).
'use strict';
const path = require('node:path');
const { workerData } = require('node:worker_threads');

require(path.join(__dirname, '..', '..', 'scripts', 'preload.cjs'));
require('./console-server.ts')
  .runConsoleServer(workerData)
  .catch((err) => {
    process.stderr.write(`console thread: ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  });
