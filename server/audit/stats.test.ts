import { describe, expect, it } from 'vitest';
import { writeTransaction } from '@/db/transaction';
import { recordLoginEvent } from './logins';
import { getLoginStats, STATS_HOURS } from './stats';
import { freshDb } from './test-fixtures';
import { auditWarnings, WARNING_THRESHOLDS, type WindowCounts } from './warnings';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-11-22T12:30:00Z');

type Spec = { count: number; amr: string[] | null; refused?: boolean };

/** Spreads attempts evenly over [from, to). */
function attempts(db: ReturnType<typeof freshDb>['db'], from: number, to: number, specs: Spec[]) {
  const all = specs.flatMap((s) => Array.from({ length: s.count }, () => s));
  writeTransaction(db, () =>
    all.forEach((s, i) =>
      recordLoginEvent(
        db,
        { outcome: s.refused ? 'refused' : 'accepted', reason: s.refused ? 'token_expired' : null, status: s.refused ? 401 : 200, amr: s.amr },
        from + Math.floor(((to - from) * i) / all.length),
      ),
    ),
  );
}

describe('login stats', () => {
  it('counts sign-ins per hour by outcome and by method of accepted sign-ins, for 7 days', () => {
    const { db } = freshDb();
    const hour = Date.parse('2026-11-20T09:00:00Z');
    attempts(db, hour, hour + HOUR, [
      { count: 6, amr: ['wia'] },
      { count: 3, amr: ['pwd', 'mfa'] },
      { count: 2, amr: null },
      { count: 4, amr: ['pwd'], refused: true },
    ]);
    attempts(db, NOW - 8 * 24 * HOUR, NOW - 8 * 24 * HOUR + 1000, [{ count: 5, amr: ['wia'] }]); // before the chart
    attempts(db, NOW + 1, NOW + 2, [{ count: 5, amr: ['wia'] }]); // after now
    const stats = getLoginStats(db, NOW);
    expect(stats.hours).toHaveLength(STATS_HOURS);
    expect(stats.hours.at(-1)!.start).toBe(Date.parse('2026-11-22T12:00:00Z'));
    expect(stats.from).toBe(stats.hours[0]!.start);
    const bucket = stats.hours.find((h) => h.start === hour)!;
    expect(bucket).toEqual({ start: hour, accepted: 11, refused: 4, methods: { wia: 6, mfa: 3, none: 2 } });
    expect(stats.hours.reduce((s, h) => s + h.accepted + h.refused, 0)).toBe(15);
    expect(stats.methods).toEqual(['wia', 'mfa', 'none']);
  });

  it('warns when Seamless SSO falls back to passwords and refusals jump, against the day before', () => {
    const { db } = freshDb();
    const DAY = 24 * HOUR;
    attempts(db, NOW - 2 * DAY, NOW - DAY, [
      { count: 160, amr: ['wia'] },
      { count: 40, amr: ['pwd'] },
      { count: 30, amr: null },
      { count: 5, amr: ['wia'], refused: true },
    ]);
    attempts(db, NOW - DAY, NOW, [
      { count: 20, amr: ['wia'] },
      { count: 180, amr: ['pwd'] },
      { count: 30, amr: null },
      { count: 60, amr: ['pwd'], refused: true },
    ]);
    const stats = getLoginStats(db, NOW);
    expect(stats.seamlessShare.previous24h).toBeCloseTo(0.8);
    expect(stats.seamlessShare.last24h).toBeCloseTo(0.1);
    expect(stats.refusalRate.previous24h).toBeCloseTo(5 / 235);
    expect(stats.refusalRate.last24h).toBeCloseTo(60 / 290);
    expect(stats.last24h).toMatchObject({ attempts: 290, accepted: 230, refused: 60, acceptedWithMethod: 200, methods: { wia: 20, pwd: 180, none: 30 } });
    const codes = stats.warnings.map((w) => [w.code, w.severity]);
    expect(codes).toEqual([
      ['refusal_rate_rose', 'warning'],
      ['seamless_sso_share_fell', 'warning'],
    ]);
    const sso = stats.warnings[1]!;
    expect(sso.message).toMatch(/80\.0% to 10\.0%/);
    expect(sso.message).toMatch(/Password sign-ins rose from 20\.0% to 90\.0%.*Kerberos/);
  });

  it('stays quiet on the same mix, and on too few sign-ins to judge', () => {
    const { db } = freshDb();
    const DAY = 24 * HOUR;
    attempts(db, NOW - 2 * DAY, NOW - DAY, [
      { count: 80, amr: ['wia'] },
      { count: 20, amr: ['pwd'] },
      { count: 3, amr: ['wia'], refused: true },
    ]);
    attempts(db, NOW - DAY, NOW, [
      { count: 75, amr: ['wia'] },
      { count: 25, amr: ['pwd'] },
      { count: 4, amr: ['wia'], refused: true },
    ]);
    expect(getLoginStats(db, NOW).warnings).toEqual([]);
    const quiet = freshDb().db;
    attempts(quiet, NOW - 2 * DAY, NOW - DAY, [{ count: 20, amr: ['wia'] }]);
    attempts(quiet, NOW - DAY, NOW, [
      { count: 20, amr: ['pwd'] },
      { count: 20, amr: ['pwd'], refused: true },
    ]);
    expect(getLoginStats(quiet, NOW).warnings).toEqual([]);
  });
});

describe('warning thresholds', () => {
  const window = (attempts: number, refused: number, wia = 0, pwd = 0): WindowCounts => ({
    attempts,
    refused,
    accepted: attempts - refused,
    acceptedWithMethod: wia + pwd,
    methods: { wia, pwd },
  });

  it.each([
    ['2% → 12% refused', window(1000, 20), window(1000, 120), ['refusal_rate_rose']],
    ['12% → 2% refused', window(1000, 120), window(1000, 20), ['refusal_rate_fell']],
    ['60% → 69% refused (under 10 points)', window(1000, 600), window(1000, 690), []],
    ['60% → 72% refused (12 points, but 17% relative)', window(1000, 600), window(1000, 720), []],
    ['80% → 60% Seamless SSO', window(100, 0, 80, 20), window(100, 0, 60, 40), ['seamless_sso_share_fell']],
    ['80% → 65% Seamless SSO (19% relative)', window(100, 0, 80, 20), window(100, 0, 65, 35), []],
    ['20% → 45% Seamless SSO', window(100, 0, 20, 80), window(100, 0, 45, 55), ['seamless_sso_share_rose']],
    ['too few attempts the day before', window(WARNING_THRESHOLDS.minAttempts - 1, 0), window(1000, 500), []],
    ['too few sign-ins with a method', window(1000, 0, 40, 9), window(1000, 0, 0, 49), []],
  ] as const)('%s', (_name, previous, current, codes) => {
    expect(auditWarnings(previous, current).map((w) => w.code)).toEqual(codes);
  });
});
