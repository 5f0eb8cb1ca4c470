import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '@/test/support/processes';
import { tempDbFile, databaseUrlOf } from '@/test/support/tmp';
import { rawRequest } from '@/test/fuzz/raw-http';

const SECRET = 'query-secret-4f2a9c';

describe.each(['npm-start', 'next-start'] as const)('access log under %s', (mode) => {
  const file = tempDbFile();
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ databaseUrl: databaseUrlOf(file), mode, env: { LOG_LEVEL: 'info' } });
  });
  afterAll(() => server?.stop());

  const accessLines = () =>
    server
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === 'request');

  it('writes one JSON line per request: method, path without the query string, status, duration, client address, request id', async () => {
    const paths = ['/sso-meta', '/api/session', '/no-such-page', '/api/audit/export'];
    const ids: string[] = [];
    for (const path of paths) {
      const res = await fetch(`${server.origin}${path}?ticket=${SECRET}&token=${SECRET}`);
      await res.arrayBuffer();
      ids.push(res.headers.get('x-request-id')!);
    }
    const refused = await fetch(`${server.origin}/api/login?code=${SECRET}`, { method: 'PROPFIND' });
    ids.push(refused.headers.get('x-request-id')!);
    const deadline = Date.now() + 5000;
    while (ids.some((id) => !accessLines().some((l) => l.requestId === id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));

    for (const [i, id] of ids.entries()) {
      const mine = accessLines().filter((l) => l.requestId === id);
      expect(mine).toHaveLength(1);
      const line = mine[0]!;
      expect(line).toMatchObject({
        level: 'info',
        method: i < paths.length ? 'GET' : 'PROPFIND',
        path: i < paths.length ? paths[i] : '/api/login',
        clientAddress: '127.0.0.1',
      });
      expect(typeof line.status).toBe('number');
      expect(typeof line.durationMs).toBe('number');
      expect(line.durationMs as number).toBeGreaterThanOrEqual(0);
    }
    expect(accessLines().find((l) => l.requestId === ids[4])!.status).toBe(405);
    expect(accessLines().find((l) => l.requestId === ids[2])!.status).toBe(404);
    expect(server.output()).not.toContain(SECRET);
  });

  it("gives the parser's own refusals (431 oversized headers, 400 not HTTP) a fresh request ID, and an access line with that ID, their status and the peer's address", async () => {
    const port = Number(new URL(server.origin).port);
    const oversized = await rawRequest(port, { method: 'GET', target: `/sso-meta?token=${SECRET}`, headers: [['x-padding', 'a'.repeat(20 * 1024)]] });
    const notHttp = await rawRequest(port, { method: 'GET', target: 'not a target', headers: [] });
    const answers = [
      [oversized, 431],
      [notHttp, 400],
    ] as const;
    for (const [res, status] of answers) {
      expect(res.status).toBe(status);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
    expect(oversized.headers['x-request-id']).not.toBe(notHttp.headers['x-request-id']);
    const ids = answers.map(([res]) => res.headers['x-request-id']!);
    const deadline = Date.now() + 5000;
    while (ids.some((id) => !accessLines().some((l) => l.requestId === id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    for (const [res, status] of answers) {
      const mine = accessLines().filter((l) => l.requestId === res.headers['x-request-id']);
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ level: 'info', status, clientAddress: '127.0.0.1' });
    }
    expect(server.output()).not.toContain(SECRET);
  });
});
