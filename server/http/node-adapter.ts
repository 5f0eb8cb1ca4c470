import 'server-only';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CLIENT_IP_HEADER, MAX_BODY_BYTES } from './responses';

export type WebHandler = (request: Request) => Response | Promise<Response>;

/**
 * Calls a route handler's exported Web function (Request → Response) straight from the
 * node:http server: the same code Next.js runs for the route, without Next's per-request
 * routing cost. Bodies are read up to a cap; the handler enforces its own, smaller limit.
 */
export async function callWebHandler(handler: WebHandler, req: IncomingMessage, res: ServerResponse, origin: string): Promise<void> {
  const method = req.method ?? 'GET';
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    // the client IP header is ours alone: set from the socket by the server, never from the client
    if (name.toLowerCase() !== CLIENT_IP_HEADER) headers.append(name, req.rawHeaders[i + 1]!);
  }
  const ip = req.headers[CLIENT_IP_HEADER];
  if (typeof ip === 'string') headers.set(CLIENT_IP_HEADER, ip);
  let body: Buffer | undefined;
  if (method !== 'GET' && method !== 'HEAD') {
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
}

/** Reads at most `cap` bytes; what is beyond is drained, so the handler sees an over-limit body. */
function readCapped(req: IncomingMessage, cap: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size >= cap) return;
      const room = cap - size;
      chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
      size += Math.min(chunk.length, room);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
