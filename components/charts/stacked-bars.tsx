import { useId } from 'react';

export interface Series {
  key: string;
  label: string;
  color: string;
}

export interface Bucket {
  /** Start of the bucket, epoch ms. */
  start: number;
  values: Record<string, number>;
}

const W = 840;
const H = 190;
const LEFT = 34;
const RIGHT = 6;
const TOP = 8;
const BOTTOM = 24;

function niceMax(n: number): number {
  if (n <= 4) return Math.max(1, n);
  const magnitude = 10 ** Math.floor(Math.log10(n));
  const step = [1, 2, 2.5, 5, 10].map((s) => s * magnitude).find((s) => s * 4 >= n) ?? magnitude * 10;
  return step * 4;
}

const dayLabel = (ms: number) => new Date(ms).toLocaleDateString('en-GB', { weekday: 'short', day: '2-digit' });
const hourLabel = (ms: number) => new Date(ms).toLocaleString('en-GB', { weekday: 'short', day: '2-digit', month: 'short', hour: '2-digit', minute: '2-digit' });

/**
 * Stacked bars as inline SVG (no chart library): one bar per bucket, one colour per series.
 * Screen readers get a title and a summary; everyone gets the legend and a table of daily totals.
 */
export function StackedBars({ title, summary, buckets, series }: { title: string; summary: string; buckets: Bucket[]; series: Series[] }) {
  const id = useId();
  const totals = buckets.map((b) => series.reduce((sum, s) => sum + (b.values[s.key] ?? 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const plotW = W - LEFT - RIGHT;
  const plotH = H - TOP - BOTTOM;
  const bw = plotW / Math.max(1, buckets.length);
  const y = (v: number) => TOP + plotH - (v / max) * plotH;
  const days = dailyTotals(buckets, series);
  return (
    <figure className="space-y-2">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-t ${id}-d`} className="h-auto w-full">
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{summary}</desc>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={LEFT} x2={W - RIGHT} y1={y(max * f)} y2={y(max * f)} stroke="#e2e8f0" strokeWidth={1} />
            <text x={LEFT - 4} y={y(max * f) + 3} textAnchor="end" fontSize={9} fill="#64748b">
              {Math.round(max * f)}
            </text>
          </g>
        ))}
        {buckets.map((b, i) => {
          const x = LEFT + i * bw;
          const isDayStart = new Date(b.start).getHours() === 0;
          let acc = 0;
          return (
            <g key={b.start}>
              {isDayStart ? (
                <>
                  <line x1={x} x2={x} y1={TOP} y2={TOP + plotH} stroke="#cbd5e1" strokeDasharray="2 2" />
                  <text x={x + 2} y={H - 8} fontSize={9} fill="#475569">{dayLabel(b.start)}</text>
                </>
              ) : null}
              {series.map((s) => {
                const v = b.values[s.key] ?? 0;
                if (v === 0) return null;
                const top = y(acc + v);
                const height = y(acc) - top;
                acc += v;
                return <rect key={s.key} x={x + 0.5} y={top} width={Math.max(1, bw - 1)} height={Math.max(0.5, height)} fill={s.color} />;
              })}
              <rect x={x} y={TOP} width={bw} height={plotH} fill="transparent">
                <title>{`${hourLabel(b.start)}: ${series.map((s) => `${b.values[s.key] ?? 0} ${s.label}`).join(', ')}`}</title>
              </rect>
            </g>
          );
        })}
        <line x1={LEFT} x2={W - RIGHT} y1={TOP + plotH} y2={TOP + plotH} stroke="#94a3b8" />
      </svg>
      <figcaption>
        <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs" aria-label={`Legend of ${title}`}>
          {series.map((s) => (
            <li key={s.key} className="flex items-center gap-1.5">
              <span aria-hidden="true" className="inline-block h-3 w-3 rounded-sm" style={{ background: s.color }} />
              {s.label}
            </li>
          ))}
        </ul>
      </figcaption>
      <details className="text-sm">
        <summary className="cursor-pointer text-brand-700">Show the numbers</summary>
        <div className="relative mt-2 overflow-x-auto">
          <table className="w-full border-collapse text-xs">
            <caption className="sr-only">{title}: totals per day</caption>
            <thead>
              <tr className="border-b border-slate-300 text-left">
                <th scope="col" className="py-1 pr-3">Day</th>
                {series.map((s) => <th key={s.key} scope="col" className="py-1 pr-3">{s.label}</th>)}
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <tr key={d.day} className="border-b border-slate-100">
                  <th scope="row" className="py-1 pr-3 text-left font-medium">{d.day}</th>
                  {series.map((s) => <td key={s.key} className="py-1 pr-3 tabular-nums">{d.values[s.key] ?? 0}</td>)}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

function dailyTotals(buckets: Bucket[], series: Series[]): { day: string; values: Record<string, number> }[] {
  const out = new Map<string, Record<string, number>>();
  for (const b of buckets) {
    const day = new Date(b.start).toLocaleDateString('en-GB', { weekday: 'short', day: '2-digit', month: 'short' });
    const values = out.get(day) ?? {};
    for (const s of series) values[s.key] = (values[s.key] ?? 0) + (b.values[s.key] ?? 0);
    out.set(day, values);
  }
  return [...out.entries()].map(([day, values]) => ({ day, values }));
}
