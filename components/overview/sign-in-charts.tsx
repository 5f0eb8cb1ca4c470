'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { signInMethodLabel } from '@/shared/sign-in-methods';
import { useUrlFilters } from '@/lib/use-url-filters';
import { useTRPC, type RouterOutputs } from '@/lib/trpc';
import { StackedBars, type Bucket, type Series } from '@/components/charts/stacked-bars';
import { Alert } from '@/components/ui/alert';
import { Loading } from '@/components/ui/loading';
import { Section } from '@/components/ui/section';

type Stats = RouterOutputs['logins']['stats'];
type Chart = RouterOutputs['overview']['chart'];
type Range = Chart['range'];

const methodColors: Record<string, string> = {
  wia: '#0f766e',
  mfa: '#1d5fd1',
  pwd: '#b45309',
  none: '#64748b',
  ngcmfa: '#7c3aed',
  wiaormfa: '#0891b2',
  fido: '#4d7c0f',
  otp: '#be185d',
  rsa: '#9f1239',
  fed: '#475569',
};
const fallbackColors = ['#a16207', '#4338ca', '#15803d', '#c2410c'];

const ranges: { value: Range; label: string; words: string }[] = [
  { value: '24h', label: '24 h', words: 'last 24 hours, per hour' },
  { value: '7d', label: '7 d', words: 'last 7 days, per day' },
  { value: '30d', label: '30 d', words: 'last 30 days, per day' },
];

const pct = (v: number | null) => (v === null ? 'no data' : `${(v * 100).toFixed(1)}%`);
const timeFmt = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });
const dayFmt = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: '2-digit', month: 'short' });
const shortDayFmt = new Intl.DateTimeFormat('en-GB', { day: '2-digit', month: 'short' });
const weekdayFmt = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: '2-digit' });

/** Warnings on sharp changes, the 24-hour rates, then sign-in attempts over a chosen range by outcome and by method. */
export function SignInCharts() {
  const trpc = useTRPC();
  const stats = useQuery(trpc.logins.stats.queryOptions(undefined, { refetchInterval: 60_000 }));
  return (
    <div className="space-y-4">
      {stats.isPending ? <Loading /> : stats.isError ? <Alert tone="error">{stats.error.message}</Alert> : <Rates s={stats.data} />}
      <RangeCharts />
    </div>
  );
}

function Rates({ s }: { s: Stats }) {
  const w = s.last24h;
  return (
    <>
      {s.warnings.map((warning) => (
        <Alert
          key={warning.code}
          tone={warning.severity === 'warning' ? 'warning' : 'info'}
          title={warning.severity === 'warning' ? 'Sharp change in the last 24 hours' : 'Change in the last 24 hours'}
        >
          {warning.message}{' '}
          {warning.code.startsWith('refusal') ? (
            <Link className="underline" href="/logins?outcome=refused">
              Refused sign-ins
            </Link>
          ) : (
            <Link className="underline" href="/logins?signInMethod=pwd">
              Password sign-ins
            </Link>
          )}
        </Alert>
      ))}
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <Rate
          label="Refused share of sign-in attempts, last 24 hours"
          now={s.refusalRate.last24h}
          detail={`${w.refused} refused of ${w.attempts} attempts`}
          before={s.refusalRate.previous24h}
        />
        <Rate
          label="Seamless SSO share of accepted sign-ins, last 24 hours"
          now={s.seamlessShare.last24h}
          detail={`of the ${w.acceptedWithMethod} accepted sign-ins whose token reports a method`}
          before={s.seamlessShare.previous24h}
        />
      </div>
    </>
  );
}

function Rate({ label, now, detail, before }: { label: string; now: number | null; detail: string; before: number | null }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-700 dark:bg-slate-900">
      <h3 className="text-sm font-medium text-slate-700 dark:text-slate-200">{label}</h3>
      <p className="mt-1 text-2xl font-semibold">{pct(now)}</p>
      <p className="text-xs text-slate-700 dark:text-slate-300">{detail}</p>
      <p className="text-xs text-slate-700 dark:text-slate-300">24 hours before: {pct(before)}</p>
    </div>
  );
}

/** The login history of exactly one bucket ([start, start + size), from inclusive, to exclusive). */
function historyHref(b: Bucket, bucketMs: number, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({ from: new Date(b.start).toISOString(), to: new Date(b.start + bucketMs).toISOString(), ...extra });
  return `/logins?${q}`;
}

function RangeCharts() {
  const trpc = useTRPC();
  const { values, set } = useUrlFilters(['range'] as const);
  const range: Range = values.range === '24h' || values.range === '30d' ? values.range : '7d';
  const utcOffsetMinutes = -new Date().getTimezoneOffset();
  const chart = useQuery(trpc.overview.chart.queryOptions({ range, utcOffsetMinutes }, { refetchInterval: 60_000 }));
  const words = ranges.find((r) => r.value === range)!.words;
  return (
    <>
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="text-base font-semibold">Sign-in attempts, {words}</h2>
        <div role="radiogroup" aria-label="Chart range" className="inline-flex overflow-hidden rounded-md border border-slate-300 dark:border-slate-600">
          {ranges.map((r) => (
            <button
              key={r.value}
              type="button"
              role="radio"
              aria-checked={r.value === range}
              aria-label={r.words}
              onClick={() => set({ range: r.value === '7d' ? undefined : r.value })}
              className={`px-3 py-1 text-sm font-medium ${r.value === range ? 'bg-brand-700 text-white' : 'bg-white text-slate-800 hover:bg-slate-100 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800'}`}
            >
              {r.label}
            </button>
          ))}
        </div>
      </div>
      {chart.isPending ? <Loading /> : chart.isError ? <Alert tone="error">{chart.error.message}</Alert> : <Charts c={chart.data} words={words} />}
    </>
  );
}

function Charts({ c, words }: { c: Chart; words: string }) {
  const hourly = c.bucketMs < 86_400_000;
  const labelOf = (b: Bucket) =>
    hourly ? `${dayFmt.format(b.start)}, ${timeFmt.format(b.start)}–${timeFmt.format(b.start + c.bucketMs)}` : dayFmt.format(b.start);
  const axisLabelOf = (b: Bucket, i: number) => {
    if (hourly) return i % 3 === 0 ? timeFmt.format(b.start) : null;
    if (c.buckets.length <= 7) return weekdayFmt.format(b.start);
    return i % 5 === 0 || i === c.buckets.length - 1 ? shortDayFmt.format(b.start) : null;
  };
  const outcomeSeries: Series[] = [
    { key: 'accepted', label: 'accepted', color: '#15803d' },
    { key: 'refused', label: 'refused', color: '#dc2626' },
  ];
  const methodSeries: Series[] = c.methods.map((m, i) => ({
    key: m,
    label: m === 'none' ? 'not reported (v2 tokens)' : signInMethodLabel(m),
    color: methodColors[m] ?? fallbackColors[i % fallbackColors.length]!,
  }));
  const { attempts, accepted, refused } = c.totals;
  return (
    <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
      <Section id="chart-outcome" title="By outcome" level={3}>
        <p className="mb-2 text-sm text-slate-700 dark:text-slate-200" data-testid="chart-totals">
          {attempts} sign-in {attempts === 1 ? 'attempt' : 'attempts'}: {accepted} accepted, {refused} refused.
        </p>
        <StackedBars
          title={`Sign-in attempts by outcome, ${words}`}
          summary={`${attempts} attempts: ${accepted} accepted and ${refused} refused.`}
          buckets={c.buckets.map((b) => ({ start: b.start, end: b.end, values: { accepted: b.accepted, refused: b.refused } }))}
          series={outcomeSeries}
          labelOf={labelOf}
          axisLabelOf={axisLabelOf}
          hrefOf={(b) => historyHref(b, c.bucketMs)}
          empty={`No sign-in attempts in the ${words.split(',')[0]}.`}
        />
      </Section>
      <Section id="chart-method" title="Accepted sign-ins by sign-in method" level={3}>
        <StackedBars
          title={`Accepted sign-ins by sign-in method, ${words}`}
          summary={`Methods, most used first: ${methodSeries.map((m) => m.label).join(', ') || 'none'}.`}
          buckets={c.buckets.map((b) => ({ start: b.start, end: b.end, values: b.methods }))}
          series={methodSeries}
          labelOf={labelOf}
          axisLabelOf={axisLabelOf}
          hrefOf={(b) => historyHref(b, c.bucketMs, { outcome: 'accepted' })}
          empty={`No accepted sign-ins in the ${words.split(',')[0]}.`}
        />
      </Section>
    </div>
  );
}
