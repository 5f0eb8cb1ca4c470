import 'server-only';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { addressOfHeaderValue, CLIENT_ADDRESS_HEADER, stampedAddressOf } from '@/server/lib/client-address';
import { baseHeaderList, isBaseHeader } from './base-headers';
import { declaredLength, discardRest } from './limits';
import { pathOf } from './request-path';
import { REQUEST_ID_HEADER } from '@/server/lib/request-id';
import { MAX_ROUTE_BODY_BYTES, routeFailure, type RouteFunction, type RouteRequest, type RouteResponse } from './route-core';

/**
 * The fast door's adapter: runs a route function (route-core.ts) straight on node:http's
 * request and response, with no undici Request/Response or AbortSignal per call. The request
 * has been through guardRequest first (request ID, client address); the answer is written with
 * the base headers in one writeHead. Bodies are
 * read up to the cap and no further: a larger declared length is not read at all, and what is
 * left of a body is thrown away after the answer.
 */
export function callRoute(route: RouteFunction, req: IncomingMessage, res: ServerResponse): Promise<void> | undefined {
  const facts = new NodeRouteRequest(req);
  let answer: RouteResponse | Promise<RouteResponse>;
  try {
    answer = route(facts);
  } catch (err) {
    answer = routeFailure(facts, err);
  }
  // a route that answers at once (/sso-meta, /healthz) is sent in this turn, with no promise in
  // between; a fault while sending is still the caller's rejection (a 500), never a throw out of the listener
  if (!(answer instanceof Promise)) {
    try {
      send(req, res, answer);
      return undefined;
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }
  return answer.then(
    (response) => send(req, res, response),
    (err: unknown) => send(req, res, routeFailure(facts, err)),
  );
}

/** The answer in one writeHead: the base headers (base-headers.ts), then the route's own, then its length. */
function send(req: IncomingMessage, res: ServerResponse, response: RouteResponse): void {
  const { body, headers } = response;
  const list = baseHeaderList(req);
  for (const name in headers) if (!isBaseHeader(name)) list.push(name, headers[name]!);
  if (body !== null && headers['content-length'] === undefined)
    list.push('content-length', String(typeof body === 'string' ? Buffer.byteLength(body) : body.length));
  res.writeHead(response.status, list);
  res.end(req.method === 'HEAD' ? undefined : (body ?? undefined));
  discardRest(req);
}

/** The request facts of a node:http request (a class: no closures made per request). */
class NodeRouteRequest implements RouteRequest {
  readonly method: string;
  readonly path: string;
  readonly clientIp: string | null;
  readonly requestId: string | null;
  readonly #req: IncomingMessage;

  constructor(req: IncomingMessage) {
    this.#req = req;
    const stampedId = req.headers[REQUEST_ID_HEADER];
    this.method = req.method ?? 'GET';
    this.path = pathOf(req.url);
    this.clientIp = stampedAddressOf(req) ?? addressOfHeaderValue(req.headers[CLIENT_ADDRESS_HEADER] as string | undefined);
    this.requestId = typeof stampedId === 'string' ? stampedId : null;
  }

  /** node:http's own joining rules (duplicate Authorization dropped, others joined), the ones Next's adapter sees too. */
  header(name: string): string | undefined {
    const v = this.#req.headers[name];
    return Array.isArray(v) ? v.join(', ') : v;
  }

  async readBody(): Promise<string | null> {
    const req = this.#req;
    if ((declaredLength(req) ?? 0) > MAX_ROUTE_BODY_BYTES) return null;
    const bytes = await readCapped(req, MAX_ROUTE_BODY_BYTES + 1);
    return bytes.length > MAX_ROUTE_BODY_BYTES ? null : bytes.toString('utf8');
  }
}

/** Reads the body until it ends or passes `cap` bytes (then stops reading: the rest is never buffered). */
function readCapped(req: IncomingMessage, cap: number): Promise<Buffer> {
  if (req.complete && req.readableLength === 0) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off('data', onData);
      req.pause();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    };
    const onData = (chunk: Buffer) => {
      const room = cap - size;
      chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
      size += Math.min(chunk.length, room);
      if (size >= cap) done();
    };
    req.on('data', onData);
    req.once('end', done);
    req.once('error', reject);
  });
}
