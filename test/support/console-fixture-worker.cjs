// A stand-in for the console thread (server/http/console-server.ts) in the tests of
// server/http/console-thread.ts: a small node:http server on the private socket it is given,
// speaking the same messages (ready, metrics, stop/stopped), with routes that answer in the
// ways the front door must forward faithfully (echo, cookies, streams, breaks, an exit).
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { parentPort, threadId, workerData } = require('node:worker_threads');

/** Requests of /slow by id: how many arrived, and how many were closed before an answer. */
const slow = new Map();
/** Bytes of /upload bodies received so far, by id. */
const uploads = new Map();
/** Answers of /stream waiting for their /release, by id. */
const streams = new Map();

const idOf = (url) => new URL(url, 'http://console').searchParams.get('id') ?? '';
const json = (res, status, value) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
};
const readBody = (req) =>
  new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });

const routes = {
  /** The request as it arrived here: method, url, headers, body, and which thread answered. */
  '/echo': async (req, res) => {
    const body = await readBody(req);
    json(res, 200, { method: req.method, url: req.url, headers: req.headers, body, thread: threadId });
  },
  /** What the front door handed this thread at start. */
  '/where': (req, res) => json(res, 200, { socketPath: workerData.socketPath, secret: Buffer.from(workerData.clientAddressSecret).toString('hex') }),
  /** An answer with its own status message, a header to keep and hop-by-hop headers to drop. */
  '/hop': (req, res) => {
    res.writeHead(201, 'Made Here', { 'x-kept': 'yes', upgrade: 'h2c', 'proxy-connection': 'keep-alive', 'keep-alive': 'timeout=99' });
    res.end('hop');
  },
  '/cookies': (req, res) => {
    res.setHeader('set-cookie', ['a=1; Path=/; HttpOnly', 'b=2; Path=/; Secure']);
    res.end('cookies');
  },
  /** Writes "first\n" at once and "second\n" only once /release?id= was asked for. */
  '/stream': (req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('first\n');
    streams.set(idOf(req.url), () => res.end('second\n'));
  },
  '/release': (req, res) => {
    const release = streams.get(idOf(req.url));
    streams.delete(idOf(req.url));
    if (release) release();
    json(res, 200, { released: Boolean(release) });
  },
  /** Counts the bytes of the body as they arrive (read by /upload-progress), answers the whole body at its end. */
  '/upload': async (req, res) => {
    const id = idOf(req.url);
    uploads.set(id, 0);
    req.on('data', (c) => uploads.set(id, uploads.get(id) + c.length));
    json(res, 200, { body: await readBody(req) });
  },
  '/upload-progress': (req, res) => json(res, 200, { received: uploads.get(idOf(req.url)) ?? null }),
  /** Never answers; counts its arrival and its connection closing before an answer. */
  '/slow': (req, res) => {
    const id = idOf(req.url);
    const state = slow.get(id) ?? { opened: 0, closed: 0 };
    slow.set(id, state);
    state.opened++;
    res.on('close', () => {
      if (!res.writableFinished) state.closed++;
    });
  },
  '/slow-state': (req, res) => json(res, 200, slow.get(idOf(req.url)) ?? { opened: 0, closed: 0 }),
  /** Closes the connection without any answer. */
  '/drop': (req) => req.socket.destroy(),
  /** Sends the status, the headers and part of a chunked body, then cuts the connection. */
  '/break': (req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('partial');
    setTimeout(() => req.socket.destroy(), 100);
  },
  /** An answer whose Connection header names two of its other headers (they go with the connection). */
  '/named-hop': (req, res) => {
    res.writeHead(200, { connection: 'keep-alive, x-gone, x-also-gone', 'x-gone': '1', 'x-also-gone': '2', 'x-stays': '3' });
    res.end('named');
  },
  /** Ends this thread (process.exit in a worker ends only the worker). */
  '/exit': () => process.exit(3),
  /** Ends this thread, and makes the next ?n= starts end before they are ready. */
  '/exit-failing-starts': (req) => {
    fs.writeFileSync(FAIL_STARTS, new URL(req.url, 'http://console').searchParams.get('n') ?? '1');
    process.exit(3);
  },
};

// starts asked to fail (by /exit-failing-starts) end here, before "ready"
const FAIL_STARTS = path.join(path.dirname(workerData.socketPath), 'fail-starts');
if (fs.existsSync(FAIL_STARTS)) {
  const left = Number(fs.readFileSync(FAIL_STARTS, 'utf8'));
  if (left > 0) {
    fs.writeFileSync(FAIL_STARTS, String(left - 1));
    process.exit(4);
  }
}

const server = http.createServer((req, res) => {
  const route = routes[new URL(req.url, 'http://console').pathname];
  if (route) return void route(req, res);
  json(res, 404, { error: 'not_found' });
});
// as console-server.ts: the front door's keep-alive connections here are never timed out
server.keepAliveTimeout = 0;
server.requestTimeout = 0;
server.headersTimeout = 0;

parentPort.on('message', (message) => {
  if (message.type === 'metrics') {
    parentPort.postMessage({
      type: 'metrics',
      id: message.id,
      metrics: [
        {
          name: 'ice_sso_break_glass_sign_ins_total',
          help: 'Break-glass (local admin) sign-ins by outcome and reason.',
          type: 'counter',
          aggregator: 'sum',
          values: [{ value: 3, labels: { outcome: 'accepted', reason: 'none' } }],
        },
      ],
    });
  } else if (message.type === 'stop') {
    server.closeAllConnections();
    server.close(() => parentPort.postMessage({ type: 'stopped' }));
  }
});

server.listen(workerData.socketPath, () => parentPort.postMessage({ type: 'ready' }));
