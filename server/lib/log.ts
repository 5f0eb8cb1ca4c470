import 'server-only';
import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { getEnv } from '@/config/env';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/**
 * Field names whose values are never written, wherever they sit in a logged object (top level
 * or up to three levels down, e.g. `headers.cookie`, `req.headers.authorization`). Callers
 * should not pass secrets at all; this is the net under that rule.
 */
export const REDACTED_FIELDS = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'token',
  'accessToken',
  'access_token',
  'idToken',
  'id_token',
  'refreshToken',
  'refresh_token',
  'sessionToken',
  'setupToken',
  'password',
  'newPassword',
  'currentPassword',
  'secret',
  'clientSecret',
  'client_secret',
  'ticket',
  'bearer',
  'apiKey',
  'key',
] as const;

export const REDACTED = '[redacted]';

const key = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `["${name}"]`);
const redactPaths = REDACTED_FIELDS.flatMap((name) => ['', '*', '*.*', '*.*.*'].map((prefix) => (prefix ? prefix + key(name) : key(name).replace(/^\./, ''))));

/** What the request guard puts in scope for the lines logged while a request runs. */
export interface RequestLogContext {
  requestId: string;
}

// one store per process, on globalThis: Next's bundle and the custom server each load this module
const CONTEXT = Symbol.for('ice-sso.log-context');
const ROOT = Symbol.for('ice-sso.log-root');
const ACCESS = Symbol.for('ice-sso.log-access');
const LINES = Symbol.for('ice-sso.log-lines');
type G = typeof globalThis & { [CONTEXT]?: AsyncLocalStorage<RequestLogContext>; [ROOT]?: Logger; [ACCESS]?: Logger; [LINES]?: StdoutLines };
const requestContext = (): AsyncLocalStorage<RequestLogContext> => ((globalThis as G)[CONTEXT] ??= new AsyncLocalStorage());

/**
 * Puts the request ID in scope for everything this request runs from here on (its handler and
 * the promises and timers it starts), so each line logged meanwhile carries `requestId`.
 * Called by the request guard, synchronously before the request's handler runs.
 */
export function enterRequestLogContext(context: RequestLogContext): void {
  requestContext().enterWith(context);
}

/** The request ID of the request running now, or null outside one. */
export function currentRequestId(): string | null {
  return requestContext().getStore()?.requestId ?? null;
}

/**
 * A pino logger with this project's settings: JSON lines, ISO time, `level` as a word, the
 * redaction paths above, and the running request's ID. The app uses one on stdout ({@link log});
 * tests build one on a stream of their own.
 */
export function buildLogger(level: LogLevel, destination: DestinationStream): Logger {
  return pino(
    {
      ...lineFormat(level),
      redact: { paths: redactPaths, censor: REDACTED },
      mixin: () => {
        const requestId = currentRequestId();
        return requestId ? { requestId } : {};
      },
    },
    destination,
  );
}

/**
 * The access lines' logger: the same line format as {@link buildLogger}'s, without its
 * redaction paths and request-ID mixin. An access line's fields are fixed and never secret
 * (method, path without its query, status, duration, address, ID), and matching ninety-two
 * wildcard redaction paths against each of them was half the cost of serving /sso-meta.
 */
export function buildAccessLogger(level: LogLevel, destination: DestinationStream): Logger {
  return pino(lineFormat(level), destination);
}

/** The line format both loggers write: JSON, ISO time, `level` as a word, no pid or hostname. */
function lineFormat(level: LogLevel): LoggerOptions {
  return { level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } };
}

function root(): Logger {
  const g = globalThis as G;
  if (g[ROOT]) return g[ROOT];
  openLoggers();
  return g[ROOT]!;
}

function access(): Logger {
  const g = globalThis as G;
  if (g[ACCESS]) return g[ACCESS];
  openLoggers();
  return g[ACCESS]!;
}

/** The process's two loggers on one stdout stream: every line in order, in one format. */
function openLoggers(): void {
  const g = globalThis as G;
  let level: LogLevel = 'info';
  try {
    level = getEnv().LOG_LEVEL;
  } catch {
    // env errors are reported at boot; logging must not throw
  }
  const lines = (g[LINES] ??= new StdoutLines(pino.destination({ dest: 1, sync: true })));
  g[ROOT] ??= buildLogger(level, { write: (line: string) => lines.writeNow(line) });
  g[ACCESS] ??= buildAccessLogger(level, { write: (line: string) => lines.writeSoon(line) });
}

/**
 * Past this many characters of access lines waiting (bytes, for these ASCII lines), they are
 * written at once rather than at the end of the event loop's turn.
 */
export const ACCESS_BATCH_BYTES = 64 * 1024;

/** What {@link StdoutLines} writes through: a sonic-boom in sync mode (its EAGAIN and short-write handling). */
export interface LineSink {
  write(data: string): boolean;
}

/**
 * One stdout for the process's lines, written synchronously (a line is never lost to
 * `process.exit`) but not one system call per access line. An access line waits for the end of
 * the event loop's turn (setImmediate), so a turn that finishes fifty responses writes their fifty
 * lines in one write (with one write per line, `/sso-meta` answered 19k a second where it now
 * answers 27k: docs/benchmarks.md, fifth pass). Every other line is written at once, after the access lines waiting
 * before it, so the order on stdout is the order of logging. What waits is written on the
 * process's `exit` as well, whatever ends it.
 */
export class StdoutLines {
  #waiting = '';
  #scheduled = false;
  readonly #sink: LineSink;
  readonly #flush = () => {
    this.#scheduled = false;
    this.flush();
  };

  constructor(sink: LineSink, o: { onExit?: boolean } = {}) {
    this.#sink = sink;
    if (o.onExit !== false) process.once('exit', () => this.flush());
  }

  /** A line written now, after those waiting. */
  writeNow(line: string): void {
    this.#sink.write(this.#take() + line);
  }

  /** A line written at the end of this turn of the event loop (or sooner, when enough wait). */
  writeSoon(line: string): void {
    this.#waiting += line;
    if (this.#waiting.length >= ACCESS_BATCH_BYTES) return this.flush();
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(this.#flush);
  }

  /** Writes what waits, now. */
  flush(): void {
    const waiting = this.#take();
    if (waiting) this.#sink.write(waiting);
  }

  #take(): string {
    const waiting = this.#waiting;
    this.#waiting = '';
    return waiting;
  }
}

type Fields = Record<string, unknown>;

/**
 * The logger (JSON lines on stdout, level from LOG_LEVEL, `silent` in tests). Callers pass
 * only non-secret fields: never a token, session token, password or setup link; the field
 * names in {@link REDACTED_FIELDS} are censored anyway.
 */
export const log = {
  debug: (msg: string, fields?: Fields) => root().debug(fields ?? {}, msg),
  info: (msg: string, fields?: Fields) => root().info(fields ?? {}, msg),
  warn: (msg: string, fields?: Fields) => root().warn(fields ?? {}, msg),
  error: (msg: string, fields?: Fields) => root().error(fields ?? {}, msg),
};

/**
 * The access line, one per request, when its response is done (or its connection cut): method,
 * path without the query string (a query may carry a ticket or token), status, duration, client
 * address, request ID.
 */
export function logAccess(line: {
  method: string;
  path: string;
  status: number;
  durationMs: number;
  clientAddress: string | null;
  requestId: string;
  aborted?: boolean;
}): void {
  access().info({ ...line, durationMs: Math.round(line.durationMs * 10) / 10 }, 'request');
}
