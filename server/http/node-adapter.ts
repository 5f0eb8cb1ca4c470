import 'server-only';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { addressOfHeaderValue, CLIENT_ADDRESS_HEADER, stampedAddressOf } from '@/server/lib/client-address';
import { declaredLength, discardRest } from './limits';
import { REQUEST_ID_HEADER } from '@/server/lib/request-id';
import { log } from '@/server/lib/log';
import { serverErrorBody } from './responses';
import { jsonRoute, MAX_ROUTE_BODY_BYTES, type RouteFunction, type RouteRequest, type RouteResponse } from './route-core';

/**
 * The fast door's adapter: runs a route function (route-core.ts) straight on node:http's
 * request and response, with no undici Request/Response or AbortSignal per call. The request
 * has been through guardRequest first (request ID, client address, base headers). Bodies are
 * read up to the cap and no further: a larger declared length is not read at all, and what is
 * left of a body is thrown away after the answer.
 */
export async function callRoute(route: RouteFunction, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const facts = routeRequestOf(req);
  let response: RouteResponse;
  try {
    response = await route(facts);
  } catch (err) {
    // the same answer as the Web adapter's: logged with the request ID, never the fault's message
    log.error('request failed', { path: facts.path, requestId: facts.requestId, error: (err as Error).message });
    response = jsonRoute(serverErrorBody(facts.requestId), 500);
  }
  const { body } = response;
  if (body !== null && response.headers['content-length'] === undefined)
    res.setHeader('content-length', typeof body === 'string' ? Buffer.byteLength(body) : body.length);
  res.writeHead(response.status, response.headers);
  res.end(req.method === 'HEAD' ? undefined : (body ?? undefined));
  discardRest(req);
}

function routeRequestOf(req: IncomingMessage): RouteRequest {
  const headers = req.headers;
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  const stampedId = headers[REQUEST_ID_HEADER];
  return {
    method: req.method ?? 'GET',
    path: query < 0 ? url : url.slice(0, query),
    // node:http's own joining rules (duplicate Authorization dropped, others joined), the ones Next's adapter sees too
    header: (name) => {
      const v = headers[name];
      return Array.isArray(v) ? v.join(', ') : v;
    },
    clientIp: stampedAddressOf(req) ?? addressOfHeaderValue(headers[CLIENT_ADDRESS_HEADER] as string | undefined),
    requestId: typeof stampedId === 'string' ? stampedId : null,
    readBody: async () => {
      if ((declaredLength(req) ?? 0) > MAX_ROUTE_BODY_BYTES) return null;
      const bytes = await readCapped(req, MAX_ROUTE_BODY_BYTES + 1);
      return bytes.length > MAX_ROUTE_BODY_BYTES ? null : bytes.toString('utf8');
    },
  };
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
