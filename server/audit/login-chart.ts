import 'server-only';
import type { Db } from '@/db/client';
import { statement } from '@/db/statements';
import { SIGN_IN_METHOD_NOT_REPORTED } from './login-filter';
import { chartRanges, type chartBucketSchema, type loginChartSchema } from './schemas';
import type { z } from 'zod';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export { chartRanges } from './schemas';
export type ChartRange = (typeof chartRanges)[number];

/** Buckets of each range: hours for a day, the viewer's calendar days for a week or a month. */
const RANGES: Record<ChartRange, { bucketMs: number; buckets: number }> = {
  '24h': { bucketMs: HOUR, buckets: 24 },
  '7d': { bucketMs: DAY, buckets: 7 },
  '30d': { bucketMs: DAY, buckets: 30 },
};

export type ChartBucket = z.infer<typeof chartBucketSchema>;
/** Sign-in attempts in buckets (see {@link loginChartSchema}). */
export type LoginChart = z.infer<typeof loginChartSchema>;

/*
 * As in stats.ts: every attempt counted from the covering (sign_in_method, ts) index, then the
 * refused ones (about a tenth) from the (outcome, ts) index taken back out. The bucket is
 * (ts + offset) / size, so that days start at the viewer's midnight.
 */
const SQL = {
  methods:
    'WITH RECURSIVE m(v) AS (SELECT (SELECT min(sign_in_method) FROM login_events) UNION ALL ' +
    'SELECT (SELECT min(sign_in_method) FROM login_events WHERE sign_in_method > m.v) FROM m WHERE m.v IS NOT NULL) ' +
    'SELECT v FROM m WHERE v IS NOT NULL',
  ofMethod:
    'SELECT CAST((ts + ?) / ? AS INTEGER) AS b, count(*) AS n FROM login_events INDEXED BY login_events_method_ts_idx WHERE sign_in_method = ? AND ts >= ? AND ts < ? GROUP BY b',
  notReported:
    'SELECT CAST((ts + ?) / ? AS INTEGER) AS b, count(*) AS n FROM login_events INDEXED BY login_events_method_ts_idx WHERE sign_in_method IS NULL AND ts >= ? AND ts < ? GROUP BY b',
  refused:
    "SELECT CAST((ts + ?) / ? AS INTEGER) AS b, sign_in_method AS m, count(*) AS n FROM login_events INDEXED BY login_events_outcome_ts_idx WHERE outcome = 'refused' AND ts >= ? AND ts < ? GROUP BY b, m",
};

/**
 * Sign-in attempts of the last 24 hours (hourly), 7 or 30 days (daily) by outcome and, for the
 * accepted ones, by sign-in method. `utcOffsetMinutes` is the viewer's offset from UTC (east
 * positive, as `-new Date().getTimezoneOffset()`): days start at their midnight. A daylight
 * saving change inside the range shifts the older days by that hour (documented).
 */
export function getLoginChart(db: Db, opts: { range: ChartRange; utcOffsetMinutes?: number; now?: number }): LoginChart {
  const now = opts.now ?? Date.now();
  const offset = (opts.utcOffsetMinutes ?? 0) * 60_000;
  const { bucketMs, buckets: count } = RANGES[opts.range];
  const currentIndex = Math.floor((now + offset) / bucketMs);
  const firstIndex = currentIndex - count + 1;
  const from = firstIndex * bucketMs - offset;
  const buckets: ChartBucket[] = Array.from({ length: count }, (_, i) => {
    const start = from + i * bucketMs;
    return { start, end: Math.min(start + bucketMs, now), attempts: 0, accepted: 0, refused: 0, methods: {} };
  });
  const at = (b: number) => buckets[b - firstIndex];
  const key = (m: string | null) => m ?? SIGN_IN_METHOD_NOT_REPORTED;

  const codes = statement(db, SQL.methods).pluck().all() as string[];
  for (const m of [...codes, null]) {
    const rows = (
      m === null ? statement(db, SQL.notReported).all(offset, bucketMs, from, now) : statement(db, SQL.ofMethod).all(offset, bucketMs, m, from, now)
    ) as Array<{ b: number; n: number }>;
    for (const { b, n } of rows) {
      const bucket = at(b);
      if (!bucket) continue;
      bucket.attempts += n;
      bucket.methods[key(m)] = (bucket.methods[key(m)] ?? 0) + n;
    }
  }
  for (const { b, m, n } of statement(db, SQL.refused).all(offset, bucketMs, from, now) as Array<{ b: number; m: string | null; n: number }>) {
    const bucket = at(b);
    if (!bucket) continue;
    bucket.refused += n;
    const left = (bucket.methods[key(m)] ?? 0) - n;
    if (left > 0) bucket.methods[key(m)] = left;
    else delete bucket.methods[key(m)];
  }
  const totals = { attempts: 0, accepted: 0, refused: 0 };
  const byMethod = new Map<string, number>();
  for (const b of buckets) {
    b.accepted = b.attempts - b.refused;
    totals.attempts += b.attempts;
    totals.accepted += b.accepted;
    totals.refused += b.refused;
    for (const [m, n] of Object.entries(b.methods)) byMethod.set(m, (byMethod.get(m) ?? 0) + n);
  }
  return {
    range: opts.range,
    bucketMs,
    from,
    to: now,
    buckets,
    totals,
    methods: [...byMethod.entries()].sort((a, b) => b[1] - a[1]).map(([m]) => m),
  };
}
