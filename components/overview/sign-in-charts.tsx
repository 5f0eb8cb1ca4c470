'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { signInMethodLabel } from '@/server/audit/sign-in-methods';
import { useTRPC, type RouterOutputs } from '@/lib/trpc';
import { StackedBars, type Series } from '@/components/charts/stacked-bars';
import { Alert } from '@/components/ui/alert';
import { Loading } from '@/components/ui/loading';
import { Section } from '@/components/ui/section';

type Stats = RouterOutputs['logins']['stats'];

const methodColors: Record<string, string> = {
  wia: '#0f766e',
  mfa: '#1d5fd1',
  pwd: '#b45309',
  none: '#94a3b8',
  ngcmfa: '#7c3aed',
  wiaormfa: '#0891b2',
  fido: '#4d7c0f',
  otp: '#be185d',
  rsa: '#9f1239',
  fed: '#475569',
};
const fallbackColors = ['#a16207', '#4338ca', '#15803d', '#c2410c'];

const pct = (v: number | null) => (v === null ? 'no data' : `${(v * 100).toFixed(1)}%`);

/** Warnings on sharp changes, then sign-ins per hour by outcome and by method, and the Seamless SSO share. */
export function SignInCharts() {
  const trpc = useTRPC();
  const stats = useQuery(trpc.logins.stats.queryOptions(undefined, { refetchInterval: 60_000 }));
  if (stats.isPending) return <Section id="charts" title="Sign-ins, last 7 days"><Loading /></Section>;
  if (stats.isError) return <Section id="charts" title="Sign-ins, last 7 days"><Alert tone="error">{stats.error.message}</Alert></Section>;
  return <Charts s={stats.data} />;
}

function Charts({ s }: { s: Stats }) {
  const outcomeSeries: Series[] = [
    { key: 'accepted', label: 'accepted', color: '#16a34a' },
    { key: 'refused', label: 'refused', color: '#dc2626' },
  ];
  const methodSeries: Series[] = s.methods.map((m, i) => ({ key: m, label: m === 'none' ? 'not reported (v2 tokens)' : signInMethodLabel(m), color: methodColors[m] ?? fallbackColors[i % fallbackColors.length]! }));
  const accepted = s.hours.reduce((n, h) => n + h.accepted, 0);
  const refused = s.hours.reduce((n, h) => n + h.refused, 0);
  return (
    <div className="space-y-4">
      {s.warnings.map((w) => (
        <Alert key={w.code} tone={w.severity === 'warning' ? 'warning' : 'info'} title={w.severity === 'warning' ? 'Sharp change in the last 24 hours' : 'Change in the last 24 hours'}>
          {w.message}{' '}
          {w.code.startsWith('refusal') ? <Link className="underline" href="/logins?outcome=refused">Refused sign-ins</Link> : <Link className="underline" href="/logins?signInMethod=pwd">Password sign-ins</Link>}
        </Alert>
      ))}
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <Rate label="Refusal rate, last 24 hours" now={s.refusalRate.last24h} before={s.refusalRate.previous24h} />
        <Rate label="Seamless SSO share, last 24 hours" now={s.seamlessShare.last24h} before={s.seamlessShare.previous24h} />
      </div>
      <Section id="chart-outcome" title="Sign-ins per hour by outcome, last 7 days">
        <StackedBars
          title="Sign-ins per hour by outcome, last 7 days"
          summary={`${accepted} accepted and ${refused} refused sign-in attempts in the last 7 days.`}
          buckets={s.hours.map((h) => ({ start: h.start, values: { accepted: h.accepted, refused: h.refused } }))}
          series={outcomeSeries}
        />
      </Section>
      <Section id="chart-method" title="Accepted sign-ins per hour by sign-in method, last 7 days">
        {methodSeries.length === 0 ? <p className="text-sm text-slate-600">No accepted sign-ins in the last 7 days.</p> : (
          <StackedBars
            title="Accepted sign-ins per hour by sign-in method, last 7 days"
            summary={`Methods, most used first: ${methodSeries.map((m) => m.label).join(', ')}. Seamless SSO share in the last 24 hours: ${pct(s.seamlessShare.last24h)}.`}
            buckets={s.hours.map((h) => ({ start: h.start, values: h.methods }))}
            series={methodSeries}
          />
        )}
      </Section>
    </div>
  );
}

function Rate({ label, now, before }: { label: string; now: number | null; before: number | null }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h3 className="text-sm font-medium text-slate-600">{label}</h3>
      <p className="mt-1 text-2xl font-semibold">{pct(now)}</p>
      <p className="text-xs text-slate-600">24 hours before: {pct(before)}</p>
    </div>
  );
}
