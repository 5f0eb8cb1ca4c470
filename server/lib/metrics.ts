import 'server-only';
import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import { AppError } from '@/shared/error-model';

/**
 * The process's Prometheus metrics (docs/operations.md, "Metrics"), served by GET /metrics.
 * Kept on `globalThis`: Next bundles its own copy of this module (and of prom-client) beside
 * the custom server's, and both doors must count into one registry. Every count here is a
 * label lookup and an add: about a microsecond, nothing on the login path waits for it.
 */
export interface Metrics {
  registry: Registry;
  /** Sign-ins at POST /api/login by outcome (`accepted`, `refused`, `failed`) and reason code (`none` when accepted). */
  logins: Counter<'outcome' | 'reason'>;
  /** Time POST /api/login took to answer, by outcome. */
  loginDuration: Histogram<'outcome'>;
  /** Network refreshes of the tenant's discovery documents and signing keys, by outcome (`ok`, `failed`). */
  keyRefreshes: Counter<'outcome'>;
  /** Database faults (locked past the busy timeout, I/O error, disk full, ...) by SQLite/PostgreSQL code. */
  databaseErrors: Counter<'code'>;
  /** Requests refused by a limiter (429), by limiter. */
  rateLimited: Counter<'limiter'>;
  /** Break-glass (local admin) sign-ins by outcome and reason. */
  breakGlassSignIns: Counter<'outcome' | 'reason'>;
}

/** The limiters that answer 429 (docs/operations.md). */
export type Limiter = 'login_address' | 'break_glass_budget' | 'password_hash_pool';

const KEY = Symbol.for('ice-sso.metrics');
type G = typeof globalThis & { [KEY]?: Metrics };

const LOGIN_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function create(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    logins: new Counter({
      name: 'ice_sso_logins_total',
      help: 'Sign-ins at POST /api/login by outcome and reason code.',
      labelNames: ['outcome', 'reason'],
      registers,
    }),
    loginDuration: new Histogram({
      name: 'ice_sso_login_duration_seconds',
      help: 'Time POST /api/login took to answer, by outcome.',
      labelNames: ['outcome'],
      buckets: LOGIN_BUCKETS,
      registers,
    }),
    keyRefreshes: new Counter({
      name: 'ice_sso_key_refreshes_total',
      help: "Network refreshes of the tenant's discovery documents and signing keys, by outcome.",
      labelNames: ['outcome'],
      registers,
    }),
    databaseErrors: new Counter({ name: 'ice_sso_database_errors_total', help: 'Database faults by driver error code.', labelNames: ['code'], registers }),
    rateLimited: new Counter({ name: 'ice_sso_rate_limited_total', help: 'Requests refused with 429 by a limiter.', labelNames: ['limiter'], registers }),
    breakGlassSignIns: new Counter({
      name: 'ice_sso_break_glass_sign_ins_total',
      help: 'Break-glass (local admin) sign-ins by outcome and reason.',
      labelNames: ['outcome', 'reason'],
      registers,
    }),
  };
}

/** The process-wide metrics (created, with the default process metrics, on first use). */
export function metrics(): Metrics {
  const g = globalThis as G;
  if (!g[KEY]) {
    g[KEY] = create();
    addGauges(g[KEY].registry);
  }
  return g[KEY];
}

/**
 * A gauge whose value is read when Prometheus scrapes (e.g. whether the database answers),
 * registered once per process under `name`. Lazy: nothing is created until the registry is.
 */
export function registerGauge(name: string, help: string, read: () => number): void {
  const g = globalThis as G;
  const pending = ((g as { [PENDING]?: Map<string, GaugeSpec> })[PENDING] ??= new Map());
  if (!pending.has(name)) pending.set(name, { name, help, read });
  if (g[KEY]) addGauges(g[KEY].registry);
}

interface GaugeSpec {
  name: string;
  help: string;
  read: () => number;
}
const PENDING = Symbol.for('ice-sso.metrics.gauges');

function addGauges(registry: Registry): void {
  const pending = (globalThis as { [PENDING]?: Map<string, GaugeSpec> })[PENDING];
  for (const spec of pending?.values() ?? []) {
    if (registry.getSingleMetric(spec.name)) continue;
    new Gauge({
      name: spec.name,
      help: spec.help,
      registers: [registry],
      collect() {
        this.set(spec.read());
      },
    });
  }
}

/** Counts one answer of POST /api/login. */
export function countLogin(outcome: 'accepted' | 'refused' | 'failed', reason: string | null, seconds: number): void {
  const m = metrics();
  m.logins.inc({ outcome, reason: reason ?? 'none' });
  m.loginDuration.observe({ outcome }, seconds);
}

/** Counts one refusal by a limiter. */
export function countRateLimited(limiter: Limiter): void {
  metrics().rateLimited.inc({ limiter });
}

/** Counts one network refresh of the tenant's keys. */
export function countKeyRefresh(outcome: 'ok' | 'failed'): void {
  metrics().keyRefreshes.inc({ outcome });
}

/** Counts one break-glass sign-in. */
export function countBreakGlassSignIn(outcome: 'accepted' | 'refused', reason: string | null): void {
  metrics().breakGlassSignIns.inc({ outcome, reason: reason ?? 'none' });
}

/**
 * Counts one refused break-glass sign-in by its reason (an AppError's; `server_error` else),
 * and the limiter behind a 429 (`locked_out`: the sign-in budget; `sign_in_busy`: the hashing pool).
 */
export function countBreakGlassRefusal(err: unknown): void {
  const reason = err instanceof AppError ? err.reason : 'server_error';
  countBreakGlassSignIn('refused', reason);
  if (reason === 'locked_out') countRateLimited('break_glass_budget');
  else if (reason === 'sign_in_busy') countRateLimited('password_hash_pool');
}

/** Counts one database fault; `code` is a driver code (SQLITE_BUSY, 08006, ...), never a message. */
export function countDatabaseError(code: string): void {
  metrics().databaseErrors.inc({ code: /^[A-Z0-9_]{1,40}$/.test(code) ? code : 'OTHER' });
}

type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];

/**
 * Where the counts of another thread of this process come from (the console thread's
 * break-glass sign-ins, key refreshes, database faults: console-thread.ts); null when it cannot
 * tell now. One source per process.
 */
let peerSource: (() => Promise<MetricsJson | null>) | null = null;

export function setPeerMetricsSource(source: (() => Promise<MetricsJson | null>) | null): void {
  peerSource = source;
}

/**
 * This thread's own counts for the main thread to add to its /metrics: the counters and
 * histograms only. The process metrics and the gauges are the main thread's alone (read here
 * they would be counted twice).
 */
export async function consoleMetricsJson(): Promise<MetricsJson> {
  const all = (await metrics().registry.getMetricsAsJSON()) as MetricsJson;
  // prom-client's typings call the type an enum; at run time it is the word ('counter', 'gauge', ...)
  return all.filter((m) => m.name.startsWith('ice_sso_') && ['counter', 'histogram'].includes(m.type as unknown as string));
}

/** The exposition text and its content type, for GET /metrics: this thread's metrics, plus the console thread's counts. */
export async function metricsText(): Promise<{ contentType: string; text: string }> {
  const { registry } = metrics();
  const peer = peerSource ? await peerSource().catch(() => null) : null;
  if (!peer?.length) return { contentType: registry.contentType, text: await registry.metrics() };
  const merged = AggregatorRegistry.aggregate([(await registry.getMetricsAsJSON()) as MetricsJson, peer]);
  return { contentType: registry.contentType, text: await merged.metrics() };
}
