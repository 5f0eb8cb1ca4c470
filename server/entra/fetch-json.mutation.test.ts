import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchJson, MAX_METADATA_BYTES, MetadataFetchError } from './fetch-json';

describe('fetchJson: a declared size over the cap is refused before the body is read', () => {
  const open: ServerResponse[] = [];
  let origin = '';
  const server = createServer((req, res) => {
    // the headers and one byte, then nothing: a reader that waits for the body gets the timeout
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(req.url === '/over' ? MAX_METADATA_BYTES + 1 : MAX_METADATA_BYTES) });
    res.write('"');
    open.push(res);
  });
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const res of open) res.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('answers "document too large" for content-length 512 KiB + 1 without waiting for the stalled body', async () => {
    const started = Date.now();
    const err = await fetchJson(`${origin}/over`, 1_500).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(MetadataFetchError);
    expect((err as Error).message).toBe(`${origin}/over: document too large`);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('reads on at content-length exactly 512 KiB (so the stalled body ends in the timeout)', async () => {
    const err = await fetchJson(`${origin}/at`, 300).then(
      () => null,
      (e: unknown) => e,
    );
    expect((err as Error).message).toBe(`${origin}/at: unreadable (timed out)`);
  });
});
