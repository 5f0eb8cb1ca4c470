/**
 * The one error model (docs/api.md, "Errors"). Pure and browser-safe: domains, both transports
 * and the console import it; nothing here touches the server runtime.
 *
 * Every error this codebase throws on purpose is an {@link AppError}: a stable `reason` (API:
 * clients and tests match on it), a `kind` that decides the HTTP status and the tRPC code
 * through {@link errorKinds}, and a message for people.
 */
import type { ZodError } from 'zod';

/**
 * Kind → HTTP status, tRPC code and the default `error` word of an HTTP error body. The one
 * table of them: the HTTP routes and the tRPC error mapper both read it.
 */
export const errorKinds = {
  bad_request: { status: 400, trpc: 'BAD_REQUEST', error: 'invalid_request' },
  unauthorized: { status: 401, trpc: 'UNAUTHORIZED', error: 'unauthorized' },
  forbidden: { status: 403, trpc: 'FORBIDDEN', error: 'forbidden' },
  not_found: { status: 404, trpc: 'NOT_FOUND', error: 'not_found' },
  conflict: { status: 409, trpc: 'CONFLICT', error: 'conflict' },
  // tRPC has no 410: a thing that is gone is, to a console caller, not found
  gone: { status: 410, trpc: 'NOT_FOUND', error: 'gone' },
  too_large: { status: 413, trpc: 'PAYLOAD_TOO_LARGE', error: 'invalid_request' },
  rate_limited: { status: 429, trpc: 'TOO_MANY_REQUESTS', error: 'rate_limited' },
  internal: { status: 500, trpc: 'INTERNAL_SERVER_ERROR', error: 'server_error' },
  unavailable: { status: 503, trpc: 'SERVICE_UNAVAILABLE', error: 'temporarily_unavailable' },
} as const;

export type ErrorKind = keyof typeof errorKinds;
export type TrpcErrorCode = (typeof errorKinds)[ErrorKind]['trpc'];
export const errorKindNames = Object.keys(errorKinds) as ErrorKind[];

/** The kind of an HTTP status (the reverse of {@link errorKinds}; 410 is `gone`, anything unknown `internal`). */
export function kindOfStatus(status: number): ErrorKind {
  return errorKindNames.find((k) => errorKinds[k].status === status) ?? 'internal';
}

/** The reason of an unexpected fault (docs/api.md, "Errors"): its message is never shown, its request ID is. */
export const SERVER_ERROR_REASON = 'server_error';

/** What a person reads for an unexpected fault; the request ID lets an operator find its log line. */
export function serverErrorMessage(requestId: string | null): string {
  return `Something went wrong on the server.${requestId ? ` Quote request ID ${requestId} to your administrator.` : ''}`;
}

export interface AppErrorOptions {
  /** The `error` word of an HTTP body when it is not the kind's default (the OAuth words of /api/login). */
  error?: string;
  /** When to try again, sent as `Retry-After` by both transports. */
  retryAfterSeconds?: number;
  cause?: unknown;
}

/**
 * The base of every error thrown on purpose. `reason` is API (snake_case, documented);
 * `message` is for people and may be shown as is; `kind` decides status and tRPC code.
 */
export class AppError extends Error {
  readonly kind: ErrorKind;
  readonly reason: string;
  /** When to try again, in seconds (`Retry-After`); undefined when there is no such advice. */
  readonly retryAfterSeconds: number | undefined;
  /** The HTTP status, from the one table. */
  readonly status: number;
  /** The `error` word of an HTTP error body. */
  readonly error: string;
  constructor(kind: ErrorKind, reason: string, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.kind = kind;
    this.reason = reason;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.status = errorKinds[kind].status;
    this.error = options.error ?? errorKinds[kind].error;
  }
}

/** One problem with one field of an input, as both transports send it (`issues` of a 400). */
export interface FieldIssue {
  field: string;
  message: string;
  /** A sentence for people, when the server gives one (settings issues do). */
  text?: string;
}

/**
 * The one zod-issue formatter: `field` is the dotted path, the unknown keys of a strict
 * object when the path is empty, or `(input)` for the input as a whole.
 */
export function fieldIssuesOf(error: Pick<ZodError, 'issues'>): FieldIssue[] {
  return error.issues.map((i) => {
    const keys = 'keys' in i && Array.isArray(i.keys) ? i.keys.join(',') : '';
    return { field: i.path.map(String).join('.') || keys || '(input)', message: i.message };
  });
}

/** An input that failed its zod schema inside a service (not at a procedure's input, which tRPC checks). */
export class InvalidInputError extends AppError {
  readonly code = 'ERR_INVALID_INPUT';
  constructor(readonly issues: FieldIssue[]) {
    super('bad_request', 'invalid_input', issues.map((i) => `${i.field}: ${i.message}`).join('; ') || 'The input is not valid.');
  }
}
