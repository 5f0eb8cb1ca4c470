import 'server-only';
import { handleTrpcRequest } from '@/server/trpc/http';
import { MAX_TRPC_BODY_BYTES, tooLargeBody } from './limits';
import { json } from './responses';

/**
 * /api/trpc as a route handler, with its body capped at {@link MAX_TRPC_BODY_BYTES}: a declared
 * length above it is refused before a byte is read, and a chunked body is counted as it arrives
 * and refused the moment it passes the cap (the rest is never read). Both answer 413.
 */
export async function trpcRoute(request: Request): Promise<Response> {
  if (request.method === 'GET' || request.method === 'HEAD' || !request.body) return handleTrpcRequest(request);
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_TRPC_BODY_BYTES) return tooLarge();
  const body = await readUpTo(request.body, MAX_TRPC_BODY_BYTES);
  if (!body) return tooLarge();
  const headers = new Headers(request.headers);
  headers.delete('content-length');
  headers.delete('transfer-encoding');
  // Buffer is a Uint8Array; the DOM typings only reject its ArrayBufferLike backing type
  return handleTrpcRequest(new Request(request.url, { method: request.method, headers, body: body as BodyInit, signal: request.signal }));
}

function tooLarge(): Response {
  return json(tooLargeBody, 413);
}

/** The whole body, or null as soon as it passes `limit` bytes (reading stops there). */
async function readUpTo(stream: ReadableStream<Uint8Array>, limit: number): Promise<Buffer | null> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
}
