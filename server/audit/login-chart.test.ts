import { describe, expect, it } from 'vitest';
import { writeTransaction } from '@/db/transaction';
import { getLoginChart } from './login-chart';
import { recordLoginEvent } from './logins';
import { freshDb } from './test-fixtures';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-11-22T12:30:00Z');

function attempt(db: ReturnType<typeof freshDb>['db'], ts: number, opts: { refused?: boolean; amr?: string[] | null } = {}) {
  writeTransaction(db, () =>
    recordLoginEvent(
      db,
      {
        outcome: opts.refused ? 'refused' : 'accepted',
        reason: opts.refused ? 'token_expired' : null,
        status: opts.refused ? 401 : 200,
        amr: opts.amr ?? ['wia'],
      },
      ts,
    ),
  );
}

describe('login chart', () => {
  it('has 24 hourly buckets for a day, the last ending now, and counts attempts by outcome and method', () => {
    const { db } = freshDb();
    attempt(db, NOW - 10 * 60_000);
    attempt(db, NOW - 5 * 60_000, { amr: ['pwd'] });
    attempt(db, NOW - 1000, { refused: true });
    attempt(db, NOW - 3 * HOUR);
    attempt(db, NOW - 25 * HOUR); // before the range
    const chart = getLoginChart(db, { range: '24h', now: NOW });
    expect(chart.buckets).toHaveLength(24);
    expect(chart.bucketMs).toBe(HOUR);
    const last = chart.buckets.at(-1)!;
    expect(last).toEqual({ start: Date.parse('2026-11-22T12:00:00Z'), end: NOW, attempts: 3, accepted: 2, refused: 1, methods: { wia: 1, pwd: 1 } });
    expect(chart.buckets[0]!.start).toBe(Date.parse('2026-11-21T13:00:00Z'));
    expect(chart.totals).toEqual({ attempts: 4, accepted: 3, refused: 1 });
    expect(chart.methods).toEqual(['wia', 'pwd']);
  });

  it('has 7 or 30 daily buckets that start at the viewer’s midnight', () => {
    const { db } = freshDb();
    // New York in November: UTC−5. 02:00 UTC on the 22nd is still the 21st there.
    attempt(db, Date.parse('2026-11-22T02:00:00Z'));
    attempt(db, Date.parse('2026-11-22T06:00:00Z'));
    const week = getLoginChart(db, { range: '7d', utcOffsetMinutes: -300, now: NOW });
    expect(week.buckets).toHaveLength(7);
    expect(week.buckets.at(-1)!.start).toBe(Date.parse('2026-11-22T05:00:00Z'));
    expect(week.buckets.at(-1)!.attempts).toBe(1);
    expect(week.buckets.at(-2)!.attempts).toBe(1);
    expect(week.from).toBe(Date.parse('2026-11-16T05:00:00Z'));
    const month = getLoginChart(db, { range: '30d', now: NOW });
    expect(month.buckets).toHaveLength(30);
    expect(month.buckets.at(-1)).toMatchObject({ start: Date.parse('2026-11-22T00:00:00Z'), attempts: 2 });
  });
});
