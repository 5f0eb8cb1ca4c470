import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardRequest } from '@/server/http/request-guard';
import { buildAccessLogger, buildLogger, REDACTED, REDACTED_FIELDS } from './log';

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

  describe('while a request runs', () => {
    const { logger, lines } = memoryLogger();
    let server: http.Server;
    let origin: string;
    beforeAll(async () => {
      server = http.createServer((req, res) => {
        if (guardRequest(req, res) === null) return;
        // logged after the handler has given up the thread twice: the ID must follow the async work
        setTimeout(
          () => {
            void Promise.resolve().then(() => {
              logger.info({ path: req.url }, 'inside');
              res.end('ok');
            });
          },
          Number(new URL(req.url!, 'http://x').searchParams.get('wait')),
        );
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it("carries each request's own ID on the lines it logs, with requests overlapping", async () => {
      const [slow, fast] = await Promise.all([fetch(`${origin}/a?wait=60`), fetch(`${origin}/b?wait=5`)]);
      const byPath = Object.fromEntries(lines().map((l) => [String(l.path).split('?')[0], l.requestId]));
      expect(byPath['/a']).toBe(slow.headers.get('x-request-id'));
      expect(byPath['/b']).toBe(fast.headers.get('x-request-id'));
      expect(byPath['/a']).not.toBe(byPath['/b']);
      logger.info('outside');
      expect(lines().at(-1)).not.toHaveProperty('requestId');
    });
  });
});
