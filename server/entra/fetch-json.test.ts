import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchJson, MAX_METADATA_BYTES } from './fetch-json';

describe('metadata fetches', () => {
  let server: http.Server;
  let origin = '';
  let sentBytes = 0;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/endless') {
        // no content-length: a body that never ends unless the reader stops
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        sentBytes = 0;
        const pump = () => {
          while (sentBytes < 200 * 1024 * 1024) {
            sentBytes += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('close', () => res.removeAllListeners('drain'));
        pump();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('reads a small document', async () => {
    expect(await fetchJson(`${origin}/small`)).toEqual({ ok: true });
  });

  it('stops reading a body without content-length at the size cap instead of buffering it first', async () => {
    await expect(fetchJson(`${origin}/endless`)).rejects.toThrow(/too large/);
    await new Promise((r) => setTimeout(r, 200));
    // socket buffers let some megabytes through; buffering the whole body would have sent 200 MB
    expect(sentBytes).toBeGreaterThan(MAX_METADATA_BYTES);
    expect(sentBytes).toBeLessThan(32 * 1024 * 1024);
  });
});
