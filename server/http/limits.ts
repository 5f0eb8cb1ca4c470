import 'server-only';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { errorBody } from './responses';

/** Body limit for /api/trpc: the largest console call (a settings save, a batch) is a few KB. */
export const MAX_TRPC_BODY_BYTES = 1024 * 1024;
/** Time a client has to send its request headers (slowloris). */
export const HEADERS_TIMEOUT_MS = 10_000;
/** Time a client has to send its whole request, body included. */
export const REQUEST_TIMEOUT_MS = 30_000;
/** Idle keep-alive sockets: longer than the 60 s idle timeout of common proxies and load balancers. */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** After a 413, how long (and how much) the rest of the body is read and thrown away before the socket closes. */
const DISCARD_MS = 5_000;
const DISCARD_BYTES = 64 * 1024 * 1024;

export const tooLargeBody = JSON.stringify(errorBody('invalid_request', 'request_too_large', 'The request body is too large.'));
export const tooLargeHeaders = JSON.stringify(errorBody('invalid_request', 'request_too_large', 'Request headers are too large.'));

/** The declared body size, or null when there is none (chunked or no body). */
export function declaredLength(req: IncomingMessage): number | null {
  const raw = req.headers['content-length'];
  if (raw === undefined) return null;
  const n = Number(raw);
  return Number.isFinite(n) ? n : null;
}

/**
 * Answers 413 at once, without reading the body first. The rest of the body is then read and
 * dropped (bounded): closing a socket with unread data resets it, and a client still sending
 * would lose the 413 with the reset.
 */
export function refuseTooLarge(req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(413, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': String(Buffer.byteLength(tooLargeBody)),
  });
  res.end(tooLargeBody);
  discardRest(req);
}

/**
 * Reads and drops what is left of a request body; past a bound in bytes or time the socket is
 * destroyed instead (the keep-alive connection is then lost, the memory never spent).
 */
export function discardRest(req: IncomingMessage): void {
  // no body declared (most GETs): nothing to drain, and node:http itself skips the empty rest; no timer per request
  if (req.complete || !declaresBody(req)) return;
  const socket: Socket = req.socket;
  let dropped = 0;
  const cut = () => {
    clearTimeout(timer);
    socket.destroy();
  };
  const timer = setTimeout(cut, DISCARD_MS);
  timer.unref();
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DISCARD_BYTES) cut();
  });
  req.once('end', () => clearTimeout(timer));
  req.once('error', cut);
  req.resume();
}

/** Whether the request says a body follows: a non-zero Content-Length, or any Transfer-Encoding (chunked). */
function declaresBody(req: IncomingMessage): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}

/** What the raw answers say, by the parser's error code (CONNECT: the method, refused before any route). */
const malformed = (message: string) => JSON.stringify(errorBody('invalid_request', 'malformed_request', message));
const RAW_ANSWERS: Record<string, { status: number; line: string; body: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, line: '431 Request Header Fields Too Large', body: tooLargeHeaders },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, line: '408 Request Timeout', body: malformed('The request took too long to arrive.') },
  CONNECT: { status: 405, line: '405 Method Not Allowed', body: malformed('CONNECT is not supported.') },
};
const NOT_HTTP = { status: 400, line: '400 Bad Request', body: malformed('The request is not valid HTTP.') };

/**
 * The raw response the HTTP parser's errors get (no route ran): JSON where a reason is promised,
 * and its status (for the access line).
 */
export function rawErrorAnswer(code: string | undefined, headers: Readonly<Record<string, string>>): { status: number; text: string } {
  const answer = code !== undefined && Object.hasOwn(RAW_ANSWERS, code) ? RAW_ANSWERS[code]! : NOT_HTTP;
  const extra = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  const text = `HTTP/1.1 ${answer.line}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(answer.body)}\r\n${extra}connection: close\r\n\r\n${answer.body}`;
  return { status: answer.status, text };
}
