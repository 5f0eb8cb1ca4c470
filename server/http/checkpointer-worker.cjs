// WAL checkpoints off the request path: a worker thread with its own connection checkpoints
// the database every second, so that no login transaction pays for one (20-40 ms spikes).
'use strict';
const { workerData, parentPort } = require('node:worker_threads');
const Database = require('better-sqlite3');

const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
let timer = setInterval(() => {
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    // a WAL that grew past ~64 MB (16k pages) is truncated when nobody is reading
    if (row && row.log > 16384) db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message) });
  }
}, workerData.intervalMs || 1000);

parentPort.on('message', (msg) => {
  if (msg === 'stop') {
    clearInterval(timer);
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {}
    db.close();
    process.exit(0);
  }
});
