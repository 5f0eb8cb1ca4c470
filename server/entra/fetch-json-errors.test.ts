import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchJson, FETCH_TIMEOUT_MS, MetadataFetchError } from './fetch-json';

describe('fetchJson: discovery and key-set fetches fail with a plain reason', () => {
  let server: Server;
  let origin = '';
  const accepts: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      accepts.push(String(req.headers.accept));
      if (req.url === '/ok') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"a":1}');
      if (req.url === '/500') return res.writeHead(500).end('{}');
      if (req.url === '/redirect') return res.writeHead(302, { location: '/ok' }).end();
      if (req.url === '/text') return res.writeHead(200).end('<html>');
      if (req.url === '/declared-large') return res.writeHead(200, { 'content-length': String(512 * 1024 + 1) }).end('x'.repeat(512 * 1024 + 1));
      if (req.url === '/large') {
        res.writeHead(200);
        res.write(`"${'x'.repeat(512 * 1024)}`);
        return res.end('"');
      }
      if (req.url === '/at-limit') return res.writeHead(200).end(`"${'x'.repeat(512 * 1024 - 2)}"`);
      if (req.url === '/slow') return void setTimeout(() => res.writeHead(200).end('{}'), 1_000);
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  const failure = async (url: string, timeout?: number) => {
    const err = await fetchJson(url, timeout).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(MetadataFetchError);
    expect((err as MetadataFetchError).url).toBe(url);
    return (err as Error).message;
  };

  it('returns the parsed JSON, asking for JSON', async () => {
    expect(await fetchJson(`${origin}/ok`)).toEqual({ a: 1 });
    expect(accepts.at(-1)).toBe('application/json');
    expect(FETCH_TIMEOUT_MS).toBe(5_000);
  });
  it('names the HTTP status of an error answer', async () => {
    expect(await failure(`${origin}/500`)).toBe(`${origin}/500: HTTP 500`);
  });
  it('does not follow a redirect', async () => {
    expect(await failure(`${origin}/redirect`)).toMatch(/: unreachable \(/);
  });
  it('refuses a body that is not JSON', async () => {
    expect(await failure(`${origin}/text`)).toBe(`${origin}/text: not JSON`);
  });
  it('refuses a document over 512 KiB, declared or not, and accepts one at the limit', async () => {
    expect(await failure(`${origin}/declared-large`)).toBe(`${origin}/declared-large: document too large`);
    expect(await failure(`${origin}/large`)).toBe(`${origin}/large: document too large`);
    expect(typeof (await fetchJson(`${origin}/at-limit`))).toBe('string');
  });
  it('gives up after the timeout', async () => {
    expect(await failure(`${origin}/slow`, 100)).toBe(`${origin}/slow: unreachable (no answer within 100 ms)`);
  });
  it('names the network error of an unreachable host', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/x`;
    await new Promise<void>((r) => closed.close(() => r()));
    expect(await failure(url)).toBe(`${url}: unreachable (ECONNREFUSED)`);
  });
});
