import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDb } from '@/db/client';
import { resolveSettings } from '@/server/settings/derive';
import { activeGraphCredential, setGraphClientSecret } from '@/server/settings/graph-credential';
import { defaultSettingsDocument } from '@/server/settings/service';
import { tempDbFile } from '@/test/support/tmp';
import { GraphRequestError } from './errors';
import { checkNextLink, transitiveGroupsOf } from './memberships';
import { resolveOverageGroups } from './resolve';

/*
 * A Graph (and token endpoint) on loopback that misbehaves on purpose: what a compromised or
 * broken Graph host could send. The real emulator is used by overage-login.test.ts.
 */
const TENANT = '8eaef023-2b34-4da1-9baa-8bc8c9d6a490';
const CLIENT = '6731de76-14a6-49ae-97bc-6eba6914391e';
const USER = 'e2a4c6e8-0b1d-4f3a-9c5e-7a9b1d3f5e44';
const group = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
function serve(): Promise<{ origin: string; hits: string[]; handle: (h: Handler) => void; close: () => Promise<void> }> {
  let handler: Handler = (_req, res) => res.end();
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    if (req.url?.endsWith('/oauth2/v2.0/token')) {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ token_type: 'Bearer', expires_in: 3599, access_token: 'app-token-value' }));
      return;
    }
    handler(req, res);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        hits,
        handle: (h) => (handler = h),
        close: () => new Promise<void>((r) => server.close(() => r())),
      }),
    ),
  );
}

describe('the Graph client against a hostile Graph host', () => {
  let graph: Awaited<ReturnType<typeof serve>>;
  let elsewhere: Awaited<ReturnType<typeof serve>>;
  const db = openDb(tempDbFile());
  const settings = () =>
    resolveSettings({
      ...defaultSettingsDocument(),
      cloud: 'custom',
      authorityHost: graph.origin,
      graphHost: graph.origin,
      tenantId: TENANT,
      clientId: CLIENT,
      enabled: true,
    });
  const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  beforeAll(async () => {
    graph = await serve();
    elsewhere = await serve();
    setGraphClientSecret(db, 'Test8Q~hostile-graph-secret-0123456789abcd', { kind: 'cli', name: 'test' });
  });
  beforeEach(() => {
    graph.hits.length = 0;
    elsewhere.hits.length = 0;
  });
  afterAll(async () => {
    await graph.close();
    await elsewhere.close();
  });

  it('builds the first URL from settings: transitiveMemberOf/microsoft.graph.group with $select=id,displayName and $top=999', async () => {
    graph.handle((_req, res) => json(res, 200, { value: [{ id: group(1), displayName: 'One' }] }));
    const groups = await transitiveGroupsOf(db, settings(), activeGraphCredential(db)!, USER, Date.now() + 3000);
    expect(groups).toEqual([{ id: group(1), displayName: 'One' }]);
    expect(graph.hits.at(-1)).toBe(`GET /v1.0/users/${USER}/transitiveMemberOf/microsoft.graph.group?$select=id,displayName&$top=999`);
  });

  it('follows @odata.nextLink on the Graph host and collects every page', async () => {
    graph.handle((req, res) => {
      if (req.url?.includes('skiptoken=2')) return json(res, 200, { value: [{ id: group(3) }] });
      if (req.url?.includes('skiptoken=1'))
        return json(res, 200, {
          value: [{ id: group(2) }],
          '@odata.nextLink': `${graph.origin}/v1.0/users/${USER}/transitiveMemberOf/microsoft.graph.group?$skiptoken=2`,
        });
      return json(res, 200, {
        value: [{ id: group(1) }],
        '@odata.nextLink': `${graph.origin}/v1.0/users/${USER}/transitiveMemberOf/microsoft.graph.group?$skiptoken=1`,
      });
    });
    const groups = await transitiveGroupsOf(db, settings(), activeGraphCredential(db)!, USER, Date.now() + 3000);
    expect(groups.map((g) => g.id)).toEqual([group(1), group(2), group(3)]);
  });

  it('refuses a nextLink to another host and never sends the app token there', async () => {
    graph.handle((_req, res) =>
      json(res, 200, { value: [{ id: group(1) }], '@odata.nextLink': `${elsewhere.origin}/v1.0/users/${USER}/transitiveMemberOf?$skiptoken=x` }),
    );
    const err = await transitiveGroupsOf(db, settings(), activeGraphCredential(db)!, USER, Date.now() + 3000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphRequestError);
    expect((err as GraphRequestError).reason).toBe('graph_next_link_refused');
    expect(elsewhere.hits).toEqual([]);
    const resolved = await resolveOverageGroups(db, settings(), USER);
    expect(resolved).toMatchObject({ source: 'unresolved', configured: true, reason: 'graph_next_link_refused' });
  });

  it('follows a nextLink only under <graphHost>/v1.0/ (same origin, same path), never with credentials in it', () => {
    const base = 'https://graph.example.net/v1.0/';
    expect(() => checkNextLink('https://graph.example.net/v1.0/users/x/transitiveMemberOf?$skiptoken=1', base)).not.toThrow();
    for (const link of [
      'https://graph.example.net/beta/users/x',
      'https://graph.example.net.evil.test/v1.0/users',
      'http://graph.example.net/v1.0/users',
      'https://u:p@graph.example.net/v1.0/users',
      'not a url',
    ])
      expect(() => checkNextLink(link, base), link).toThrow(GraphRequestError);
  });

  it('honours 429 Retry-After and then reads the answer', async () => {
    let calls = 0;
    graph.handle((_req, res) =>
      ++calls === 1 ? json(res, 429, { error: { code: 'TooManyRequests' } }, { 'retry-after': '1' }) : json(res, 200, { value: [{ id: group(9) }] }),
    );
    const started = Date.now();
    const resolved = await resolveOverageGroups(db, settings(), USER);
    expect(resolved).toEqual({ source: 'graph', groupIds: [group(9)] });
    expect(calls).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('does not wait for a Retry-After beyond the time limit: unresolved at once, with that Retry-After', async () => {
    graph.handle((_req, res) => json(res, 503, { error: { code: 'serviceNotAvailable' } }, { 'retry-after': '30' }));
    const started = Date.now();
    const resolved = await resolveOverageGroups(db, settings(), USER);
    expect(resolved).toMatchObject({ source: 'unresolved', configured: true, reason: 'graph_unavailable', retryAfterSeconds: 30 });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('gives up on a Graph that never answers within the time limit (3 s), unresolved with a Retry-After', async () => {
    const held: http.ServerResponse[] = [];
    graph.handle((_req, res) => held.push(res));
    const started = Date.now();
    const resolved = await resolveOverageGroups(db, settings(), USER);
    const elapsed = Date.now() - started;
    expect(resolved).toMatchObject({ source: 'unresolved', configured: true, reason: 'graph_unavailable', retryAfterSeconds: 5 });
    expect(elapsed).toBeGreaterThanOrEqual(2_900);
    expect(elapsed).toBeLessThan(3_800);
    expect(held.length).toBe(1);
    held.forEach((r) => r.destroy());
  });

  it('refuses an answer larger than the size cap', async () => {
    graph.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"value":[${Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ id: group(i), displayName: 'x'.repeat(100) })).join(',')}]}`);
    });
    expect(await resolveOverageGroups(db, settings(), USER)).toMatchObject({ source: 'unresolved', reason: 'graph_bad_response' });
  });

  it('names the missing permission for Authorization_RequestDenied', async () => {
    graph.handle((_req, res) =>
      json(res, 403, { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } }),
    );
    const resolved = await resolveOverageGroups(db, settings(), USER);
    expect(resolved).toMatchObject({ source: 'unresolved', reason: 'graph_permission_denied', retryAfterSeconds: 60 });
    expect(resolved.source === 'unresolved' && resolved.message).toContain(
      'GroupMember.Read.All / User.Read.All as Application permissions with admin consent',
    );
  });
});
