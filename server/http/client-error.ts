import 'server-only';
import type http from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { rawErrorAnswer } from './limits';
import { pathOf } from './request-path';
import { normalizeAddress } from '@/server/lib/client-address';
import { logAccess } from '@/server/lib/log';
import { newRequestId, REQUEST_ID_HEADER } from '@/server/lib/request-id';
import { baseSecurityHeaders } from '@/server/lib/security-headers';

/**
 * The answer to a request node:http's parser refused before any route ran (431 oversized
 * headers, 400 not HTTP, 408 too slow): JSON with its reason and the base headers, on both doors
 * (front-door.ts under `npm start`, request-guard.ts's hook under plain `next start`; Node's
 * own default is a bare status line).
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || err.code === 'ECONNRESET') return void socket.destroy();
  answerRaw(socket, err.code, { method: '', path: '' });
}

/**
 * CONNECT (a proxy tunnel) is no method of this server: 405 JSON, on both doors. Without a
 * `connect` listener node:http drops the socket unanswered.
 */
export function answerConnect(req: http.IncomingMessage, socket: Duplex): void {
  socket.on('error', () => socket.destroy());
  answerRaw(socket, 'CONNECT', { method: 'CONNECT', path: pathOf(req.url) });
}

/**
 * Writes a raw answer (no request object exists, or none will be served) and closes: like every
 * response it carries a fresh `x-request-id`, and like every request it leaves one access line
 * with that ID. The address is the connection's peer: the headers that could name a client
 * behind a proxy were never parsed.
 */
export function answerRaw(socket: Duplex, code: string | undefined, request: { method: string; path: string }): void {
  const requestId = newRequestId();
  const answer = rawErrorAnswer(code, { ...baseSecurityHeaders(), [REQUEST_ID_HEADER]: requestId });
  socket.end(answer.text);
  logAccess({
    method: request.method,
    path: request.path,
    status: answer.status,
    durationMs: 0,
    clientAddress: normalizeAddress((socket as Partial<Socket>).remoteAddress),
    requestId,
  });
}
