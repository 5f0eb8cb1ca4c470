import 'server-only';
import type { Duplex } from 'node:stream';
import { rawErrorResponse } from './limits';
import { baseSecurityHeaders } from '@/server/lib/security-headers';

/**
 * The answer to a request node:http's parser refused before any route ran (431 oversized
 * headers, 400 not HTTP, 408 too slow): JSON with its reason and the base headers, on both doors
 * (front-door.ts under `npm start`, request-guard.ts's hook under plain `next start`; Node's
 * own default is a bare status line).
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || err.code === 'ECONNRESET') return void socket.destroy();
  socket.end(rawErrorResponse(err.code, baseSecurityHeaders()));
}
