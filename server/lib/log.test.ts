import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyBaseHeaders } from '@/server/http/base-headers';
import { enterLogContextOf, guardRequest } from '@/server/http/request-guard';
import { ACCESS_BATCH_BYTES, buildAccessLogger, buildLogger, REDACTED, REDACTED_FIELDS, StdoutLines } from './log';

function memoryLogger(level: 'info' | 'warn' = 'info') {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  // pino writes to a plain stream synchronously through its write()
  return {
    logger: buildLogger(level, { write: (s: string) => void stream.write(s) }),
    lines: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    raw: () => lines.join('\n'),
  };
}

describe('log', () => {
  it('writes JSON lines with time, level as a word and the message, and drops lines below its level', () => {
    const { logger, lines } = memoryLogger('warn');
    logger.info({ n: 1 }, 'not written');
    logger.warn({ n: 2 }, 'written');
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatchObject({ level: 'warn', msg: 'written', n: 2 });
    expect(Number.isNaN(Date.parse(String(lines()[0]!.time)))).toBe(false);
  });

  it('writes access lines in the same format as every other line (level as a word, ISO time, msg), and drops them below its level', () => {
    const written: string[] = [];
    const sink = { write: (s: string) => void written.push(s) };
    buildLogger('info', sink).info({ path: '/a' }, 'other');
    buildAccessLogger('info', sink).info({ method: 'GET', path: '/sso-meta', status: 200 }, 'request');
    buildAccessLogger('warn', sink).info({ method: 'GET', path: '/dropped', status: 200 }, 'request');
    const [other, access, ...rest] = written.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rest).toEqual([]);
    expect(Object.keys(access!).slice(0, 2)).toEqual(Object.keys(other!).slice(0, 2));
    expect(access).toMatchObject({ level: 'info', method: 'GET', path: '/sso-meta', status: 200, msg: 'request' });
    expect(String(access!.time)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('writes none of the values of token-, secret- and cookie-shaped fields, at the top level or nested in headers and objects', () => {
    const { logger, raw, lines } = memoryLogger();
    const secrets = REDACTED_FIELDS.map((name, i) => [name, `s3cret-value-${i}-${name}`] as const);
    const fields = Object.fromEntries(secrets);
    logger.info({ ...fields, headers: { ...fields }, req: { headers: { ...fields } }, ok: 'visible' }, 'a request');
    for (const [, value] of secrets) expect(raw()).not.toContain(value);
    const line = lines()[0]!;
    expect(line.ok).toBe('visible');
    expect(line.authorization).toBe(REDACTED);
    expect((line.headers as Record<string, unknown>)['set-cookie']).toBe(REDACTED);
    expect(((line.req as Record<string, unknown>).headers as Record<string, unknown>).cookie).toBe(REDACTED);
  });

  /**
   * A guarded node:http server for the describe block that calls this (listening before its
   * tests, closed after): each request through guardRequest and the base headers, then `enterNext`
   * (when Next would handle it), then a line logged after a `wait` ms timer and a promise.
   */
  function guardedServer(logger: ReturnType<typeof memoryLogger>['logger'], o: { enterNext: boolean }): { origin: string } {
    const s = { origin: '' };
    let server: http.Server;
    beforeAll(async () => {
      server = http.createServer((req, res) => {
        if (guardRequest(req, res) === null) return;
        applyBaseHeaders(req, res);
        // as the front door and the next-start hook do before Next handles a request
        if (o.enterNext) enterLogContextOf(req);
        // logged after the handler has given up the thread twice: the ID must follow the async work
        setTimeout(
          () => {
            void Promise.resolve().then(() => {
              logger.info({ path: req.url }, 'inside');
              res.end('ok');
            });
          },
          Number(new URL(req.url!, 'http://x').searchParams.get('wait') ?? 0),
        );
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      s.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));
    return s;
  }

  describe('while a request runs', () => {
    const { logger, lines } = memoryLogger();
    const s = guardedServer(logger, { enterNext: true });

    it("carries each request's own ID on the lines it logs, with requests overlapping", async () => {
      const [slow, fast] = await Promise.all([fetch(`${s.origin}/a?wait=60`), fetch(`${s.origin}/b?wait=5`)]);
      const byPath = Object.fromEntries(lines().map((l) => [String(l.path).split('?')[0], l.requestId]));
      expect(byPath['/a']).toBe(slow.headers.get('x-request-id'));
      expect(byPath['/b']).toBe(fast.headers.get('x-request-id'));
      expect(byPath['/a']).not.toBe(byPath['/b']);
      logger.info('outside');
      expect(lines().at(-1)).not.toHaveProperty('requestId');
    });
  });

  describe('under the request guard alone (the hot routes)', () => {
    const { logger, lines } = memoryLogger();
    const s = guardedServer(logger, { enterNext: false });

    it('puts no request ID in scope: the guard leaves AsyncLocalStorage alone, so a hot route names its ID on the lines it logs', async () => {
      const answer = await fetch(`${s.origin}/c`);
      expect(answer.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      const inside = lines().filter((l) => l.path === '/c');
      expect(inside).toHaveLength(1);
      expect(inside[0]).not.toHaveProperty('requestId');
    });
  });

  describe('stdout lines', () => {
    const sink = () => {
      const writes: string[] = [];
      return { writes, lines: new StdoutLines({ write: (d) => (writes.push(d), true) }, { onExit: false }) };
    };
    const turn = () => new Promise((r) => setImmediate(r));

    it('writes the access lines of one event-loop turn together in one write once the turn ends, none before', async () => {
      const { writes, lines } = sink();
      lines.writeSoon('a1\n');
      lines.writeSoon('a2\n');
      lines.writeSoon('a3\n');
      expect(writes).toEqual([]);
      await turn();
      expect(writes).toEqual(['a1\na2\na3\n']);
      lines.writeSoon('b1\n');
      await turn();
      expect(writes).toEqual(['a1\na2\na3\n', 'b1\n']);
    });

    it('writes any other line at once, after the access lines waiting before it, so stdout keeps the order of logging', async () => {
      const { writes, lines } = sink();
      lines.writeSoon('access1\n');
      lines.writeNow('error\n');
      expect(writes).toEqual(['access1\nerror\n']);
      lines.writeNow('info\n');
      expect(writes).toEqual(['access1\nerror\n', 'info\n']);
      await turn();
      expect(writes).toHaveLength(2);
    });

    it('writes waiting access lines at once when they pass the batch size, without waiting for the turn to end', () => {
      const { writes, lines } = sink();
      const line = `${'x'.repeat(1023)}\n`;
      for (let i = 0; i < ACCESS_BATCH_BYTES / line.length - 1; i++) lines.writeSoon(line);
      expect(writes).toEqual([]);
      lines.writeSoon(line);
      expect(writes).toHaveLength(1);
      expect(writes[0]!.length).toBe(ACCESS_BATCH_BYTES);
    });

    it("loses no access line when the process exits in the same turn that logged it (the server's own stdout, process.exit)", () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ice-sso-log-'));
      const script = path.join(dir, 'exit.ts');
      fs.writeFileSync(
        script,
        [
          `import { logAccess, log } from ${JSON.stringify(path.resolve(__dirname, 'log.ts'))};`,
          `for (let i = 0; i < 500; i++) logAccess({ method: 'GET', path: '/n/' + i, status: 200, durationMs: 1, clientAddress: null, requestId: 'r' + i });`,
          `log.info('last');`,
          `for (let i = 500; i < 1000; i++) logAccess({ method: 'GET', path: '/n/' + i, status: 200, durationMs: 1, clientAddress: null, requestId: 'r' + i });`,
          `process.exit(0);`,
        ].join('\n'),
      );
      const root = path.resolve(__dirname, '../..');
      const out = execFileSync(process.execPath, ['--require', path.join(root, 'scripts/preload.cjs'), script], {
        cwd: root,
        env: { ...process.env, LOG_LEVEL: 'info' },
        encoding: 'utf8',
      });
      fs.rmSync(dir, { recursive: true, force: true });
      const lines = out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { msg: string; path?: string });
      expect(lines.map((l) => l.path ?? l.msg)).toEqual([
        ...Array.from({ length: 500 }, (_, i) => `/n/${i}`),
        'last',
        ...Array.from({ length: 500 }, (_, i) => `/n/${i + 500}`),
      ]);
    });
  });
});
