import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '@/db/client';
import { clientAddressSecret } from '@/server/lib/client-address';
import { countBreakGlassSignIn, metrics, metricsText } from '@/server/lib/metrics';
import { getSettings, updateSettings } from '@/server/settings/service';
import { ROOT } from '@/test/support/processes';
import { tempDbFile } from '@/test/support/tmp';
import { rawRequest } from '@/test/fuzz/raw-http';
import { startConsoleThread, type ConsoleThread } from './console-thread';

/**
 * The front door's side of the console thread (console-thread.ts), for real: a worker thread
 * started from a small fixture server (test/support/console-fixture-worker.cjs) that speaks the
 * console thread's messages on the private Unix socket, and a plain node:http server on
 * 127.0.0.1 that hands every request to `handle()`, asked over real HTTP.
 */
const FIXTURE = path.join(ROOT, 'test', 'support', 'console-fixture-worker.cjs');
const UNAVAILABLE = {
  error: 'temporarily_unavailable',
  reason: 'console_unavailable',
  message: 'The console is starting again. Try again in a moment.',
};
const BREAK_GLASS_ACCEPTED = 'ice_sso_break_glass_sign_ins_total{outcome="accepted",reason="none"}';

interface Answer {
  status: number;
  statusMessage: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface FrontDoor {
  port: number;
  close: () => Promise<void>;
}

async function frontDoor(thread: ConsoleThread): Promise<FrontDoor> {
  const server = http.createServer((req, res) => void thread.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** One GET on a connection of its own, its whole answer read. */
function ask(port: number, p: string, headers: http.OutgoingHttpHeaders = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: p, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, statusMessage: res.statusMessage ?? '', headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Reads `read()` every 25 ms until `done` holds of its value (its last value is returned either way, for the assertion). */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The sample lines of one series in Prometheus exposition text. */
const samples = (text: string, series: string) => text.split('\n').filter((l) => l.startsWith(`${series} `));
/** This thread's own count of accepted break-glass sign-ins (0 before the first). */
async function ownBreakGlassAccepted(): Promise<number> {
  const line = samples(await metrics().registry.metrics(), BREAK_GLASS_ACCEPTED)[0];
  return line === undefined ? 0 : Number(line.slice(BREAK_GLASS_ACCEPTED.length + 1));
}

const newId = () => crypto.randomBytes(6).toString('hex');

function expectUnavailable(answer: Answer): void {
  expect(answer.status).toBe(503);
  expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(answer.headers['cache-control']).toBe('no-store');
  expect(answer.headers['retry-after']).toBe('1');
  expect(JSON.parse(answer.body)).toEqual(UNAVAILABLE);
}

/**
 * A console thread started from the fixture, with a front door before it and its own database,
 * for the describe block that calls this: started before its tests, stopped after them.
 */
function fixtureConsole(): { file: string; db: Db; thread: ConsoleThread; door: FrontDoor } {
  const c = { file: tempDbFile() } as { file: string; db: Db; thread: ConsoleThread; door: FrontDoor };
  beforeAll(async () => {
    c.db = openDb(c.file);
    c.thread = await startConsoleThread(c.db, { entry: FIXTURE });
    c.door = await frontDoor(c.thread);
  });
  afterAll(async () => {
    await c.door?.close();
    await c.thread?.stop();
    c.db?.$client.close();
  });
  return c;
}

describe('the front door forwarding to a console thread over its private socket', () => {
  const c = fixtureConsole();
  let other: Db;
  const get = (p: string, headers?: http.OutgoingHttpHeaders) => ask(c.door.port, p, headers);

  beforeAll(() => {
    other = openDb(c.file);
  });
  afterAll(() => other?.$client.close());

  it("hands the thread its socket, console.sock in a fresh directory under the system's temporary folder that only this user can enter, and this thread's client-address MAC key", async () => {
    const where = JSON.parse((await get('/where')).body) as { socketPath: string; secret: string };
    expect(where.secret).toBe(clientAddressSecret().toString('hex'));
    expect(path.basename(where.socketPath)).toBe('console.sock');
    const dir = path.dirname(where.socketPath);
    expect(path.dirname(dir)).toBe(os.tmpdir());
    expect(path.basename(dir)).toMatch(/^ice-sso-console-/);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(where.socketPath).isSocket()).toBe(true);
  });

  it('forwards the method, the path with its query, the request headers and a POST body, and drops the hop-by-hop request headers (connection, keep-alive, proxy-connection, te, trailer, upgrade, expect)', async () => {
    // written byte for byte (node:http's client refuses a Trailer header on a body of known length); rawRequest adds "connection: close"
    const answer = await rawRequest(c.door.port, {
      method: 'POST',
      target: '/echo?a=1&b=two',
      headers: [
        ['x-custom', '1'],
        ['content-type', 'text/plain'],
        ['keep-alive', 'timeout=5'],
        ['proxy-connection', 'keep-alive'],
        ['te', 'trailers'],
        ['trailer', 'x-later'],
        ['upgrade', 'h2c'],
        ['expect', '100-continue'],
      ],
      body: Buffer.from('hello body'),
    });
    expect(answer.status).toBe(200);
    const echo = JSON.parse(answer.body.toString('utf8')) as { method: string; url: string; headers: Record<string, string>; body: string };
    expect(echo.method).toBe('POST');
    expect(echo.url).toBe('/echo?a=1&b=two');
    expect(echo.body).toBe('hello body');
    // exactly these: the client's own, and the front door's keep-alive connection to the thread (not the client's "close")
    expect(echo.headers).toEqual({
      host: '127.0.0.1',
      'x-custom': '1',
      'content-type': 'text/plain',
      'content-length': '10',
      connection: 'keep-alive',
    });
  });

  it('drops the headers a Connection header names, both ways, and keeps the rest', async () => {
    const echo = JSON.parse((await get('/echo', { connection: 'keep-alive, x-drop', 'x-drop': 'hop secret', 'x-kept': '1' })).body) as {
      headers: Record<string, string>;
    };
    expect(echo.headers['x-kept']).toBe('1');
    expect(Object.keys(echo.headers)).not.toContain('x-drop');
    const answer = await get('/named-hop');
    expect(answer.status).toBe(200);
    expect(answer.headers['x-stays']).toBe('3');
    expect(Object.keys(answer.headers).filter((name) => name.startsWith('x-'))).toEqual(['x-stays']);
  });

  it("copies the answer's status, status message and headers, and drops its hop-by-hop headers (connection, keep-alive, proxy-connection, upgrade)", async () => {
    const answer = await get('/hop', { connection: 'close' });
    expect(answer.status).toBe(201);
    expect(answer.statusMessage).toBe('Made Here');
    expect(answer.body).toBe('hop');
    expect(answer.headers['x-kept']).toBe('yes');
    // the thread's "connection: keep-alive" is not copied over this connection's own "close"
    expect(answer.headers.connection).toBe('close');
    // the chunked framing is this connection's own
    expect(Object.keys(answer.headers).sort()).toEqual(['connection', 'date', 'transfer-encoding', 'x-kept']);
  });

  it("answers an HTTP/1.0 client without the console's chunked framing: the body as is, ended by the connection's close", async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const socket = net.connect(c.door.port, '127.0.0.1', () => socket.write('GET /hop HTTP/1.0\r\nhost: 127.0.0.1\r\n\r\n'));
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('error', reject);
      socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    });
    const [head, body] = raw.split('\r\n\r\n');
    const lines = head!.split('\r\n');
    expect(lines[0]).toBe('HTTP/1.1 201 Made Here');
    expect(
      lines
        .slice(1)
        .map((l) => l.slice(0, l.indexOf(':')).toLowerCase())
        .sort(),
    ).toEqual(['connection', 'date', 'x-kept']);
    expect(lines).toContain('Connection: close');
    expect(body).toBe('hop');
  });

  it('keeps both Set-Cookie headers of an answer', async () => {
    const answer = await get('/cookies');
    expect(answer.status).toBe(200);
    expect(answer.headers['set-cookie']).toEqual(['a=1; Path=/; HttpOnly', 'b=2; Path=/; Secure']);
  });

  it('streams an answer as it is written: the client has its first chunk while the console still holds back the rest', async () => {
    const id = newId();
    let received = '';
    let ended = false;
    const req = http.request({ host: '127.0.0.1', port: c.door.port, path: `/stream?id=${id}`, agent: false });
    const done = new Promise<void>((resolve, reject) => {
      req.on('response', (res) => {
        res.setEncoding('utf8');
        res.on('data', (c: string) => (received += c));
        res.on('end', () => {
          ended = true;
          resolve();
        });
        res.on('error', reject);
      });
      req.on('error', reject);
    });
    req.end();
    // the fixture writes the rest only when /release is asked for: a front door that buffered the answer never shows this
    const receivedSoFar = async () => received;
    expect(await until(receivedSoFar, (r) => r.length > 0)).toBe('first\n');
    expect(ended).toBe(false);
    expect(JSON.parse((await get(`/release?id=${id}`)).body)).toEqual({ released: true });
    await done;
    expect(received).toBe('first\nsecond\n');
  });

  it('streams a request body as it arrives: the console has read the first part before the client sent the rest', async () => {
    const id = newId();
    const req = http.request({ host: '127.0.0.1', port: c.door.port, method: 'POST', path: `/upload?id=${id}`, agent: false });
    const answer = new Promise<Answer>((resolve, reject) => {
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, statusMessage: res.statusMessage ?? '', headers: res.headers, body }));
        res.on('error', reject);
      });
      req.on('error', reject);
    });
    req.write('first part|');
    const progress = async () => (JSON.parse((await get(`/upload-progress?id=${id}`)).body) as { received: number | null }).received;
    expect(await until(progress, (n) => n === 11)).toBe(11);
    req.end('rest');
    const { status, body } = await answer;
    expect(status).toBe(200);
    expect(JSON.parse(body)).toEqual({ body: 'first part|rest' });
  });

  it('cancels the forwarded request when the client goes away: the console sees that request closed, unanswered', async () => {
    const id = newId();
    const state = async () => JSON.parse((await get(`/slow-state?id=${id}`)).body) as { opened: number; closed: number };
    const req = http.request({ host: '127.0.0.1', port: c.door.port, path: `/slow?id=${id}`, agent: false });
    req.on('error', () => undefined);
    req.end();
    expect(await until(state, (s) => s.opened === 1)).toEqual({ opened: 1, closed: 0 });
    // still open while the client waits
    await new Promise((r) => setTimeout(r, 200));
    expect(await state()).toEqual({ opened: 1, closed: 0 });
    req.destroy();
    expect(await until(state, (s) => s.closed === 1)).toEqual({ opened: 1, closed: 1 });
  });

  it('answers 503 console_unavailable (JSON, Retry-After: 1, no-store) when the console closes the connection before any answer', async () => {
    expectUnavailable(await get('/drop'));
    // and the thread still serves
    expect((await get('/cookies')).status).toBe(200);
  });

  it("cuts the client's connection when the console breaks off an answer mid-body: the client sees the start, then an abort, never a clean end", async () => {
    const outcome = await new Promise<{ status: number; body: string; ended: boolean; complete: boolean; error: string | null }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: c.door.port, path: '/break', agent: false }, (res) => {
        let body = '';
        let ended = false;
        let error: string | null = null;
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => (ended = true));
        res.on('error', (err) => (error = err.message));
        res.on('close', () => resolve({ status: res.statusCode ?? 0, body, ended, complete: res.complete, error }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(outcome).toEqual({ status: 200, body: 'partial', ended: false, complete: false, error: 'aborted' });
  });

  it('re-reads the settings after the answer of a non-GET request arrives, before the answer reaches the client; not after a GET', async () => {
    const t0 = Date.now();
    const before = getSettings(c.db, t0).version;
    // saved by another connection: this one's copy stays as it was for t0 until something re-reads it
    updateSettings(other, { loginRateLimitPerMinute: 7 }, { kind: 'cli', name: 'console-thread test' });
    expect(getSettings(c.db, t0).version).toBe(before);
    expect((await get('/echo')).status).toBe(200);
    expect(getSettings(c.db, t0).version).toBe(before);

    // a POST whose body the console holds back: the status has reached the client, the answer is not over yet
    const id = newId();
    const req = http.request({ host: '127.0.0.1', port: c.door.port, method: 'POST', path: `/stream?id=${id}`, agent: false });
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      req.on('response', resolve);
      req.on('error', reject);
      req.end();
    });
    expect(res.statusCode).toBe(200);
    expect(getSettings(c.db, t0).version).toBe(before + 1);
    expect(getSettings(c.db, t0).effective.loginRateLimitPerMinute).toBe(7);
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => (body += c));
    const end = new Promise((resolve) => res.on('end', resolve));
    await get(`/release?id=${id}`);
    await end;
    expect(body).toBe('first\nsecond\n');
  });

  it("merges the console thread's counters into metricsText(): its 3 accepted break-glass sign-ins and this thread's own, in one sample line", async () => {
    const own = await ownBreakGlassAccepted();
    countBreakGlassSignIn('accepted', null);
    expect(await ownBreakGlassAccepted()).toBe(own + 1);
    const { text } = await metricsText();
    expect(samples(text, BREAK_GLASS_ACCEPTED)).toEqual([`${BREAK_GLASS_ACCEPTED} ${own + 1 + 3}`]);
  });

  it('while the thread is down after it died, answers 503 console_unavailable with Retry-After, and serves again from a new thread after the 1 s pause', async () => {
    const before = (JSON.parse((await get('/echo')).body) as { thread: number }).thread;
    // the fixture ends its thread inside the request: that request is answered by the front door
    expectUnavailable(await get('/exit'));
    const diedAt = Date.now();
    const down: Answer[] = [];
    const back = await until(
      async () => {
        const answer = await get('/echo');
        if (answer.status !== 200) down.push(answer);
        return answer;
      },
      (a) => a.status === 200,
      15_000,
    );
    const backAt = Date.now();
    expect(back.status).toBe(200);
    expect(down.length).toBeGreaterThan(0);
    for (const answer of down) expectUnavailable(answer);
    expect((JSON.parse(back.body) as { thread: number }).thread).not.toBe(before);
    // started again after the pause (less a margin: the front door may see the request fail before the thread's exit)
    expect(backAt - diedAt).toBeGreaterThanOrEqual(750);
  });
});

describe('a console thread that keeps failing to start again', () => {
  const c = fixtureConsole();

  it('is started again after each failed start, the pause doubling (1 s, 2 s, 4 s), and serves from the third new thread', async () => {
    const before = (JSON.parse((await ask(c.door.port, '/echo')).body) as { thread: number }).thread;
    // this thread ends, and the next two starts end before they are ready
    expectUnavailable(await ask(c.door.port, '/exit-failing-starts?n=2'));
    const diedAt = Date.now();
    const back = await until(
      () => ask(c.door.port, '/echo'),
      (a) => a.status === 200,
      25_000,
    );
    expect(back.status).toBe(200);
    expect((JSON.parse(back.body) as { thread: number }).thread).not.toBe(before);
    // 1 + 2 + 4 s of pauses, less a margin; a pause that did not double would be back after about 3 s
    expect(Date.now() - diedAt).toBeGreaterThanOrEqual(6_000);
  }, 40_000);
});

describe('stop()', () => {
  const file = tempDbFile();
  let db: Db;

  beforeAll(() => {
    db = openDb(file);
  });
  afterAll(() => db?.$client.close());

  it("ends the thread on its stopped message (well within the 5 s limit), removes the socket's directory, leaves metricsText() to this thread's counts, and later requests get 503 console_unavailable", async () => {
    const thread = await startConsoleThread(db, { entry: FIXTURE });
    const door = await frontDoor(thread);
    let stopped = false;
    try {
      const { socketPath } = JSON.parse((await ask(door.port, '/where')).body) as { socketPath: string };
      const own = await ownBreakGlassAccepted();
      expect(samples((await metricsText()).text, BREAK_GLASS_ACCEPTED)).toEqual([`${BREAK_GLASS_ACCEPTED} ${own + 3}`]);

      const started = performance.now();
      await thread.stop();
      stopped = true;
      expect(performance.now() - started).toBeLessThan(4_000);
      expect(fs.existsSync(path.dirname(socketPath))).toBe(false);
      expect(samples((await metricsText()).text, BREAK_GLASS_ACCEPTED)).toEqual(own === 0 ? [] : [`${BREAK_GLASS_ACCEPTED} ${own}`]);
      expectUnavailable(await ask(door.port, '/echo'));
    } finally {
      await door.close();
      // a failure before the stop under test must not leave the thread (and its socket directory) behind
      if (!stopped) await thread.stop();
    }
  });
});

describe('a process that ends without stop()', () => {
  it("removes the console thread's socket directory when it crashes (an uncaught error ends it)", async () => {
    const file = tempDbFile();
    // a separate process: it starts a console thread from the fixture, prints the socket's path, then throws
    const script = `
      const http = require('node:http');
      const { openDb } = require('@/db/client');
      const { startConsoleThread } = require('@/server/http/console-thread');
      (async () => {
        const thread = await startConsoleThread(openDb(${JSON.stringify(file)}), { entry: ${JSON.stringify(FIXTURE)} });
        const server = http.createServer((req, res) => void thread.handle(req, res)).listen(0, '127.0.0.1', async () => {
          const where = await (await fetch('http://127.0.0.1:' + server.address().port + '/where')).json();
          process.stdout.write(where.socketPath + '\\n');
          setTimeout(() => { throw new Error('crash on purpose'); }, 10);
        });
      })();
    `;
    const child = spawn(process.execPath, ['--require', path.join(ROOT, 'scripts', 'preload.cjs'), '-e', script], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    const socketPath = out.trim();
    expect(code).toBe(1);
    expect(path.basename(socketPath)).toBe('console.sock');
    expect(fs.existsSync(path.dirname(socketPath))).toBe(false);
  }, 30_000);
});
