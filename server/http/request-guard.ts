import 'server-only';
import http from 'node:http';
import https from 'node:https';
import { Duplex } from 'node:stream';
import { answerClientError, answerConnect } from './client-error';
import { stampClientAddress } from '@/server/lib/client-address';
import { REQUEST_ID_HEADER, stampRequestId } from '@/server/lib/request-id';
import { declaredLength, discardRest, MAX_TRPC_BODY_BYTES, refuseTooLarge } from './limits';
import { sanitizeRouterHeaders } from './next-headers';
import { errorBody } from './responses';
import { applyBaseHeaders } from './base-headers';
import { pathOf } from './request-path';
import { enterRequestLogContext, logAccess } from '@/server/lib/log';

/** The JSON doors and their methods (fast-routes.ts holds the handlers of all but the export). */
export const DOOR_METHODS: Record<string, string[]> = {
  '/sso-meta': ['GET', 'HEAD', 'OPTIONS'],
  '/api/login': ['POST', 'OPTIONS'],
  '/api/session': ['GET', 'DELETE'],
  '/api/audit/export': ['GET', 'HEAD'],
  '/healthz': ['GET', 'HEAD'],
  '/readyz': ['GET', 'HEAD'],
  '/metrics': ['GET', 'HEAD'],
};

/**
 * The methods any path may be asked with. Node's parser knows thirty-odd more (PROPFIND,
 * M-SEARCH, TRACE...): no route has them, Next answers some with an empty 400 and cannot build
 * a Web Request for TRACE at all (a 500), so they are refused here.
 */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);

function methodNotAllowed(req: http.IncomingMessage, res: http.ServerResponse, pathname: string, allowed: string[] | null): void {
  res.writeHead(405, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...(allowed ? { allow: allowed.join(', ') } : {}) });
  res.end(JSON.stringify(errorBody('invalid_request', 'malformed_request', `${pathname} does not accept ${req.method}.`)));
  discardRest(req);
}

/**
 * What every request goes through before any handler, under `npm start` and plain
 * `next start` alike: a request ID (x-request-id), its client address stamped, Next's
 * router headers sanitized, and refused at once when it cannot be served: a tRPC body
 * declared over 1 MiB (413, unread), a path whose percent-encoding does not decode (400 JSON),
 * a method no path or not its JSON door has (405 JSON).
 * Returns the path to serve, or null when the request was answered here.
 *
 * It does not put the request ID in scope for log lines (AsyncLocalStorage): whoever hands the
 * request to Next does (Next's own contexts already run hooks there); the fast routes pass the
 * ID to the few lines they log, so the main thread under `npm start` never enables node's
 * async hooks (docs/benchmarks.md, "Seventh pass").
 */
export function guardRequest(req: http.IncomingMessage, res: http.ServerResponse): string | null {
  const requestId = stampRequestId(req);
  const clientAddress = stampClientAddress(req);
  const started = performance.now();
  const pathname = pathOf(req.url);
  // one access line per request, the query string left out (it may carry a ticket)
  res.once('close', () =>
    logAccess({
      method: req.method ?? '',
      path: pathname,
      status: res.statusCode,
      durationMs: performance.now() - started,
      clientAddress,
      requestId,
      ...(res.writableFinished ? {} : { aborted: true }),
    }),
  );
  sanitizeRouterHeaders(
    pathname,
    (n) => req.headers[n] as string | undefined,
    (n) => delete req.headers[n],
  );
  if (pathname.startsWith('/api/trpc') && (declaredLength(req) ?? 0) > MAX_TRPC_BODY_BYTES) {
    // refused before anything reads a byte of it (a chunked body is counted by the route handler)
    applyBaseHeaders(req, res);
    refuseTooLarge(req, res);
    return null;
  }
  if (!decodable(pathname)) {
    // Next decodes route parameters itself and answers a broken %-sequence with a 500
    applyBaseHeaders(req, res);
    res.writeHead(400, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify(errorBody('invalid_request', 'malformed_request', 'The path is not valid percent-encoded UTF-8.')));
    discardRest(req);
    return null;
  }
  const method = req.method ?? 'GET';
  const allowed = Object.hasOwn(DOOR_METHODS, pathname) ? DOOR_METHODS[pathname]! : null;
  if (!METHODS.has(method) || (allowed && !allowed.includes(method))) {
    applyBaseHeaders(req, res);
    methodNotAllowed(req, res, pathname, allowed);
    return null;
  }
  return pathname;
}

/**
 * Puts a guarded request's ID in scope for the lines logged while Next handles it (the console
 * thread, the `next start` hook, `--dev`): AsyncLocalStorage, which the hot routes do without.
 */
export function enterLogContextOf(req: http.IncomingMessage): void {
  const requestId = req.headers[REQUEST_ID_HEADER];
  if (typeof requestId === 'string') enterRequestLogContext({ requestId });
}

function decodable(pathname: string): boolean {
  if (!pathname.includes('%')) return true;
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

const KEY = Symbol.for('ice-sso.request-guard');
type G = typeof globalThis & { [KEY]?: { customServer: boolean; hooked: boolean } };
const flags = () => ((globalThis as G)[KEY] ??= { customServer: false, hooked: false });

/** Called by the custom server before Next starts: its own listener guards every request. */
export function markCustomServer(): void {
  flags().customServer = true;
}

/** Servers the hook has given a CONNECT listener (or found with one). */
const adopted = new WeakSet<http.Server | https.Server>();

/**
 * Under plain `next start` there is no custom server in front of Next, so this hooks
 * node:http's `request` event (every http/https server of the process) to run
 * {@link guardRequest} before Next sees the request. Called from instrumentation.ts; a no-op
 * under the custom server. Requests that arrived before the hook (while Next was starting)
 * carry no stamped address: they are served with the address unknown, never a client's word.
 * The parser's refusals (431, 400) and CONNECT are answered as under the custom server too.
 */
export function installNextStartGuard(): void {
  const f = flags();
  if (f.customServer || f.hooked) return;
  f.hooked = true;
  for (const proto of [http.Server.prototype, https.Server.prototype] as Array<{ emit: (event: string | symbol, ...args: unknown[]) => boolean }>) {
    const emit = proto.emit;
    proto.emit = function (this: unknown, event: string | symbol, ...args: unknown[]) {
      if (event === 'request' && args[0] instanceof http.IncomingMessage && args[1] instanceof http.ServerResponse) {
        if (guardRequest(args[0], args[1]) === null) return true;
        applyBaseHeaders(args[0], args[1]);
        enterLogContextOf(args[0]);
      }
      // the parser's refusals (431, 400) answered as under the custom server, JSON with a reason
      if (event === 'clientError' && args[0] instanceof Error && args[1] instanceof Duplex) {
        answerClientError(args[0], args[1]);
        return true;
      }
      // CONNECT answered as under the custom server: node:http only emits it to a server that listens for it, and
      // Next's server was listening before this hook, so it is given the listener at its first event from then on
      if ((this instanceof http.Server || this instanceof https.Server) && !adopted.has(this)) {
        adopted.add(this);
        if (this.listenerCount('connect') === 0) this.on('connect', answerConnect);
      }
      return emit.call(this, event, ...args);
    };
  }
}
