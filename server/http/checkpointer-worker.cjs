// WAL checkpoints off the request path: a worker thread with its own connection copies the WAL
// into the database file when the main thread asks (once a second), so that no login transaction
// pays for a checkpoint (20-40 ms spikes). The main thread then copies the few frames committed
// meanwhile (server/background.ts): see there why.
'use strict';
const fs = require('node:fs');
const { workerData, parentPort } = require('node:worker_threads');
const Database = require('better-sqlite3');

const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
// a WAL that went on growing past ~64 MB (16k pages) without starting over is truncated when nobody is reading
const TRUNCATE_FRAMES = 16384;
let lastSequence = null;
const MAX_PASSES = 4;
const SMALL_PASS_FRAMES = 256;

/** The WAL header's checkpoint sequence number: it changes each time the WAL starts over from its beginning. */
function walSequence() {
  let fd;
  try {
    fd = fs.openSync(`${workerData.file}-wal`, 'r');
    const header = Buffer.alloc(16);
    return fs.readSync(fd, header, 0, 16, 0) === 16 ? header.readUInt32BE(12) : null;
  } catch {
    return null;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

parentPort.on('message', (msg) => {
  if (msg === 'checkpoint') {
    try {
      // again while the last pass had much to copy (what was committed during the one before): the
      // main thread's own pass, which holds its event loop, is left the last few frames
      let [row] = db.pragma('wal_checkpoint(PASSIVE)');
      for (let pass = 1, before = 0; pass < MAX_PASSES && row && !row.busy && row.log - before > SMALL_PASS_FRAMES; pass++) {
        before = row.log;
        [row] = db.pragma('wal_checkpoint(PASSIVE)');
      }
      const sequence = walSequence();
      // the same WAL as a tick ago, grown past the bound: the log did not start over (a reader held it)
      if (row && row.log > TRUNCATE_FRAMES && sequence !== null && sequence === lastSequence) db.pragma('wal_checkpoint(TRUNCATE)');
      lastSequence = sequence;
    } catch (err) {
      parentPort.postMessage({ error: String(err && err.message) });
    }
    parentPort.postMessage({ done: true });
  } else if (msg === 'stop') {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {}
    db.close();
    process.exit(0);
  }
});
