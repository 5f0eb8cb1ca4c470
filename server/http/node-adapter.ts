import 'server-only';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CLIENT_ADDRESS_HEADER } from '@/server/lib/client-address';
import { declaredLength, discardRest } from './limits';
import { MAX_BODY_BYTES } from './responses';

export type WebHandler = (request: Request) => Response | Promise<Response>;

/**
 * Calls a route handler's exported Web function (Request → Response) straight from the
 * node:http server: the same code Next.js runs for the route, without Next's per-request
 * routing cost. Bodies are read up to a cap and no further: a larger declared length is not
 * read at all (the handler sees the length and answers 413), and what is left of a body is
 * thrown away after the answer.
 */
export async function callWebHandler(handler: WebHandler, req: IncomingMessage, res: ServerResponse, origin: string): Promise<void> {
  const method = req.method ?? 'GET';
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    // the client address header is ours alone: stamped by the server, never taken from the client
    if (name.toLowerCase() !== CLIENT_ADDRESS_HEADER) headers.append(name, req.rawHeaders[i + 1]!);
  }
  const stamped = req.headers[CLIENT_ADDRESS_HEADER];
  if (typeof stamped === 'string') headers.set(CLIENT_ADDRESS_HEADER, stamped);
  let body: Buffer | undefined;
  if (method !== 'GET' && method !== 'HEAD' && (declaredLength(req) ?? 0) <= MAX_BODY_BYTES) {
    body = await readCapped(req, MAX_BODY_BYTES + 1);
  }
  // Buffer is a Uint8Array; the DOM typings only reject its ArrayBufferLike backing type
  const request = new Request(origin + (req.url ?? '/'), { method, headers, body: body as BodyInit | undefined });
  const response = await handler(request);
  const out: Record<string, string | string[]> = {};
  response.headers.forEach((value, key) => {
    if (key === 'set-cookie') return;
    out[key] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) out['set-cookie'] = cookies;
  const payload = response.body && method !== 'HEAD' ? Buffer.from(await response.arrayBuffer()) : undefined;
  if (payload && !out['content-length']) out['content-length'] = String(payload.length);
  res.writeHead(response.status, out);
  res.end(payload);
  discardRest(req);
}

/** Reads the body until it ends or passes `cap` bytes (then stops reading: the rest is never buffered). */
function readCapped(req: IncomingMessage, cap: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off('data', onData);
      req.pause();
      resolve(Buffer.concat(chunks));
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
