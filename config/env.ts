import 'server-only';
import net from 'node:net';
import { z } from 'zod';
import { AppError, fieldIssuesOf } from '@/shared/error-model';

/** What `TRUST_PROXY` says: believe nobody, the nearest `hops` proxies, or proxies at these addresses/networks. */
export type TrustProxy = { kind: 'none' } | { kind: 'hops'; hops: number } | { kind: 'networks'; networks: string[] };

const NAMED_NETWORKS = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** Parses a `TRUST_PROXY` value; a string result is the reason it is invalid. */
export function parseTrustProxy(raw: string): TrustProxy | string {
  const v = raw.trim().toLowerCase();
  if (v === 'false' || v === '0') return { kind: 'none' };
  if (v === 'true') return { kind: 'hops', hops: 1 };
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    return hops <= 32 ? { kind: 'hops', hops } : 'a hop count must be at most 32';
  }
  const networks = v.split(',').map((s) => s.trim());
  for (const n of networks) {
    if (!isNetwork(n)) return `"${n}" is not true, false, a hop count, an IP address, a CIDR network or loopback/linklocal/uniquelocal`;
  }
  return { kind: 'networks', networks };
}

function isNetwork(n: string): boolean {
  if (NAMED_NETWORKS.has(n)) return true;
  const [address, bits, ...rest] = n.split('/');
  if (rest.length > 0 || !address) return false;
  const family = net.isIP(address);
  if (family === 0 || address.includes('%')) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * The one place that reads `process.env`. Parsed once, at boot; a bad value stops the
 * server with a message naming the variable.
 */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .min(1)
    .default('file:./data/ice-sso.db')
    .refine((v) => v !== ':memory:' && v !== 'file::memory:', 'must name a database file, not :memory:')
    .superRefine((v, ctx) => {
      const problem = databaseUrlProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  /** Set by Next.js (`development` under `npm run dev`); decides only the dev-only CSP allowances. */
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Origin printed in setup links, e.g. https://sso.example.com. Defaults to http://localhost:PORT. */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .transform((v) => v.replace(/\/+$/, ''))
    .optional(),
  /**
   * Which proxies in front of the server to believe about the client address (X-Forwarded-For):
   * `false` (none: the TCP peer is the client), `true` (one proxy: the right-most entry), a hop
   * count (`2`), or a comma list of trusted proxy addresses and CIDR networks (`10.0.0.0/8,::1`).
   */
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v, ctx): TrustProxy => {
      const parsed = parseTrustProxy(v);
      if (typeof parsed === 'string') {
        ctx.addIssue({ code: 'custom', message: parsed });
        return z.NEVER;
      }
      return parsed;
    }),
  /** Open connections the server accepts at once; beyond it new sockets are closed at once. */
  MAX_CONNECTIONS: z.coerce.number().int().min(16).max(1_000_000).default(1024),
  /** Connections each instance keeps to PostgreSQL at most (a `postgres://` DATABASE_URL; unused on SQLite). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
  /** Folder of the project (migrations, build). Set by the launchers; defaults to the working directory. */
  ICE_SSO_ROOT: z.string().min(1).optional(),
  /** File that holds the audit chain key; defaults to audit.key next to the database file. */
  AUDIT_KEY_FILE: z.string().min(1).optional(),
  /**
   * Bearer token that GET /metrics requires; unset, /metrics answers 404. At least 16
   * characters; never logged (a bad value is reported by its length only).
   */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').max(512).regex(/^\S+$/, 'must not contain spaces').optional(),
  /** Key of the Microsoft Graph credential at rest (AES-256-GCM); default `graph.key` beside the database. */
  GRAPH_KEY_FILE: z.string().min(1).optional(),
});

export type Env = z.infer<typeof envSchema>;

/**
 * Why a `DATABASE_URL` cannot be used, or null. Accepted: a `file:` URL or a plain path
 * (SQLite), or `postgres://` / `postgresql://` with a host (PostgreSQL). Any other scheme stops
 * the start instead of becoming a file named after it.
 */
export function databaseUrlProblem(value: string): string | null {
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(value)?.[1]?.toLowerCase();
  if (scheme === undefined || scheme === 'file') return null;
  if (scheme === 'postgres' || scheme === 'postgresql') {
    if (!value.toLowerCase().startsWith(`${scheme}://`)) return `a PostgreSQL URL starts with ${scheme}:// (postgres://user:password@host:5432/database)`;
    try {
      const u = new URL(value);
      if (!u.hostname && !u.searchParams.get('host')) return 'a PostgreSQL URL names its host (postgres://user:password@host:5432/database)';
    } catch {
      return 'is not a valid URL (postgres://user:password@host:5432/database)';
    }
    return null;
  }
  return `unsupported scheme "${scheme}:"; use a SQLite file such as file:./data/ice-sso.db, or postgres://user:password@host:5432/database`;
}

/** The environment does not validate: the process cannot start (the message names every bad variable). */
export class EnvError extends AppError {
  readonly code = 'ERR_ENV_INVALID';
  constructor(message: string) {
    super('internal', 'env_invalid', message);
  }
}

/** Variables whose values never appear in a message, not even when invalid. */
const SECRET_VARIABLES = new Set(['METRICS_TOKEN']);

let cached: Env | undefined;

/** Validated environment. Throws {@link EnvError} naming every bad variable. */
export function getEnv(source: Record<string, string | undefined> = process.env): Env {
  if (cached && source === process.env) return cached;
  const parsed = envSchema.safeParse(pickDefined(source));
  if (!parsed.success) {
    const lines = fieldIssuesOf(parsed.error).map((i) => {
      const name = i.field.split('.')[0]!;
      const shown = SECRET_VARIABLES.has(name) ? `<${(source[name] ?? '').length} characters>` : JSON.stringify(redactCredentials(source[name] ?? ''));
      return `  ${name}=${shown}: ${i.message}`;
    });
    throw new EnvError(`Invalid environment:\n${lines.join('\n')}`);
  }
  if (source === process.env) cached = parsed.data;
  return parsed.data;
}

function pickDefined(source: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = source[key];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

/** A URL's password never reaches a log line: `postgres://u:secret@h/db` is shown as `postgres://u:***@h/db`. */
function redactCredentials(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, '$1***@');
}
