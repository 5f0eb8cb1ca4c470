// Password hashing off the main thread and off libuv's thread pool: the *sync* scrypt runs
// here, so jose's WebCrypto verifies (which use libuv's pool) never queue behind a hash.
// Plain CommonJS, loaded by path at run time, so that it works under tsx and in Next's bundle.
'use strict';
const crypto = require('node:crypto');
const { parentPort } = require('node:worker_threads');

parentPort.on('message', (job) => {
  const started = Date.now();
  try {
    const key = crypto.scryptSync(job.password, Buffer.from(job.salt, 'base64url'), job.keylen, { N: job.N, r: job.r, p: job.p, maxmem: job.maxmem });
    parentPort.postMessage({ id: job.id, key: key.toString('base64url'), ms: Date.now() - started });
  } catch (err) {
    parentPort.postMessage({ id: job.id, error: String((err && err.message) || err), ms: Date.now() - started });
  }
});
