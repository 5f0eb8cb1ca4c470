import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAddressHeaderValue, CLIENT_ADDRESS_HEADER } from '@/server/lib/client-address';
import { callRoute } from './node-adapter';
import { guardRequest } from './request-guard';
import type { RouteFunction, RouteRequest } from './route-core';
import { webRoute } from './web-adapter';

/**
 * The two adapters of one route function (route-core.ts): node:http (the fast door) and Web
 * (app/ route handlers). Each test runs the same route through both and compares what a client
 * receives: status, the route's headers, the body, the facts the route saw.
 */
let seen: Array<Omit<RouteRequest, 'header' | 'readBody'> & { body: string | null; ua: string | undefined }> = [];
const probe: RouteFunction = async (r) => {
  seen.push({ method: r.method, path: r.path, clientIp: r.clientIp, requestId: r.requestId, body: await r.readBody(), ua: r.header('user-agent') });
  return { status: 201, headers: { 'content-type': 'text/plain', 'x-route': 'probe' }, body: 'made' };
};
const failing: RouteFunction = () => {
  throw new Error('secret detail of the fault');
};
const rejecting: RouteFunction = async () => {
  await new Promise((r) => setTimeout(r, 1));
  throw new Error('secret detail of the fault');
};
/** An answer node:http cannot send: a header value with a line break. */
const unsendable: RouteFunction = () => ({ status: 200, headers: { 'x-bad': 'a\r\nb' }, body: 'x' });
/** What callRoute's promise rejected with, as the front door's catch sees it. */
let rejected: string[] = [];

let server: http.Server;
let route: RouteFunction = probe;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (guardRequest(req, res) === null) return;
    callRoute(route, req, res)?.catch((err: Error) => {
      rejected.push(err.message);
      res.destroy();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function viaNode(path: string, init: RequestInit = {}) {
  const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`, init);
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    id: res.headers.get('x-request-id'),
    body: await res.text(),
    route: res.headers.get('x-route'),
  };
}

async function viaWeb(path: string, init: RequestInit = {}, requestId = '0f0e0d0c-0b0a-4908-8706-050403020100') {
  const headers = new Headers(init.headers);
  headers.set('x-request-id', requestId);
  headers.set(CLIENT_ADDRESS_HEADER, clientAddressHeaderValue('127.0.0.1'));
  const res = await webRoute(route)(new Request(`http://127.0.0.1${path}`, { ...init, headers }));
  return { status: res.status, type: res.headers.get('content-type'), id: requestId, body: await res.text(), route: res.headers.get('x-route') };
}

describe('the node:http and Web adapters of one route function', () => {
  it('hand the route the same facts (method, path without query, client address, request ID, body, headers) and send back the same answer', async () => {
    seen = [];
    route = probe;
    const init = { method: 'POST', body: '{"token":"x"}', headers: { 'user-agent': 'door-test' } };
    const node = await viaNode('/api/login?x=1', init);
    const web = await viaWeb('/api/login?x=1', init);
    expect(node).toEqual({ ...web, id: node.id });
    expect(node).toMatchObject({ status: 201, type: 'text/plain', body: 'made', route: 'probe' });
    expect(seen).toEqual([
      { method: 'POST', path: '/api/login', clientIp: '127.0.0.1', requestId: node.id, body: '{"token":"x"}', ua: 'door-test' },
      { method: 'POST', path: '/api/login', clientIp: '127.0.0.1', requestId: web.id, body: '{"token":"x"}', ua: 'door-test' },
    ]);
  });

  it('give the route null for a body over 64 KiB, declared or chunked, on both adapters', async () => {
    seen = [];
    route = probe;
    const big = 'a'.repeat(64 * 1024 + 1);
    const chunked = () =>
      new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(new TextEncoder().encode(big.slice(0, 40_000)));
          c.enqueue(new TextEncoder().encode(big.slice(40_000)));
          c.close();
        },
      });
    await viaNode('/api/login', { method: 'POST', body: big });
    await viaWeb('/api/login', { method: 'POST', body: big });
    await viaNode('/api/login', { method: 'POST', body: chunked(), duplex: 'half' } as RequestInit);
    await viaWeb('/api/login', { method: 'POST', body: chunked(), duplex: 'half' } as RequestInit);
    expect(seen.map((s) => s.body)).toEqual([null, null, null, null]);
    // exactly at the cap is still a body
    seen = [];
    await viaNode('/api/login', { method: 'POST', body: big.slice(1) });
    await viaWeb('/api/login', { method: 'POST', body: big.slice(1) });
    expect(seen.map((s) => s.body?.length)).toEqual([64 * 1024, 64 * 1024]);
  });

  it('answer a route that throws with the same 500 server_error body carrying the request ID, never the fault message', async () => {
    route = failing;
    const node = await viaNode('/sso-meta');
    const web = await viaWeb('/sso-meta');
    for (const r of [node, web]) {
      expect(r.status).toBe(500);
      expect(r.type).toBe('application/json; charset=utf-8');
      expect(r.body).not.toContain('secret detail');
      expect(JSON.parse(r.body)).toEqual({ error: 'server_error', reason: 'server_error', message: expect.stringContaining(r.id!), requestId: r.id });
    }
  });

  it('answer a route whose promise rejects with the same 500 server_error body, never the fault message', async () => {
    route = rejecting;
    const node = await viaNode('/api/login', { method: 'POST', body: '{}' });
    const web = await viaWeb('/api/login', { method: 'POST', body: '{}' });
    for (const r of [node, web]) {
      expect(r.status).toBe(500);
      expect(r.body).not.toContain('secret detail');
      expect(JSON.parse(r.body)).toMatchObject({ error: 'server_error', requestId: r.id });
    }
  });

  it('turn an answer node:http cannot send into a rejection of the node adapter’s promise, not a throw out of the request listener', async () => {
    route = unsendable;
    rejected = [];
    await expect(viaNode('/sso-meta')).rejects.toThrow();
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatch(/x-bad/i);
    // the server still answers
    route = probe;
    expect((await viaNode('/sso-meta')).status).toBe(201);
  });

  it('send no body to HEAD on either adapter', async () => {
    route = probe;
    expect((await viaNode('/sso-meta', { method: 'HEAD' })).body).toBe('');
    expect((await viaWeb('/sso-meta', { method: 'HEAD' })).body).toBe('');
  });
});
