'use client';
import { useRouter } from 'next/navigation';
import { useId } from 'react';
import { niceTicks } from './ticks';

export interface Series {
  key: string;
  label: string;
  color: string;
}

export interface Bucket {
  /** [start, end) of the bucket, epoch ms. */
  start: number;
  end: number;
  values: Record<string, number>;
}

const W = 840;
const H = 200;
const LEFT = 40;
const RIGHT = 6;
const TOP = 10;
const BOTTOM = 26;

/**
 * Stacked bars as inline SVG (no chart library): one bar per bucket, one colour per series,
 * a y-axis of whole-number ticks from the data, and each bar a link (`hrefOf`) to what it
 * counts. Screen readers get a title and a summary, everyone a legend and a table of the
 * numbers with the same links. With nothing to draw, `empty` is said instead of an empty plot.
 */
export function StackedBars({
  title,
  summary,
  buckets,
  series,
  labelOf,
  axisLabelOf,
  hrefOf,
  empty,
}: {
  title: string;
  summary: string;
  buckets: Bucket[];
  series: Series[];
  /** The bucket in words, e.g. "Mon 01 Dec, 09:00–10:00". */
  labelOf: (b: Bucket) => string;
  /** The x-axis label under a bucket, or null for none. */
  axisLabelOf: (b: Bucket, index: number) => string | null;
  hrefOf: (b: Bucket) => string;
  empty: string;
}) {
  const id = useId();
  const router = useRouter();
  const totals = buckets.map((b) => series.reduce((sum, s) => sum + (b.values[s.key] ?? 0), 0));
  const ticks = niceTicks(Math.max(0, ...totals));
  if (ticks.length === 0) {
    return (
      <p
        className="rounded-md border border-dashed border-slate-300 px-4 py-8 text-center text-sm text-slate-700 dark:border-slate-600 dark:text-slate-200"
        data-testid="chart-empty"
      >
        {empty}
      </p>
    );
  }
  const max = ticks.at(-1)!;
  const plotW = W - LEFT - RIGHT;
  const plotH = H - TOP - BOTTOM;
  const bw = plotW / Math.max(1, buckets.length);
  const gap = Math.min(4, bw * 0.15);
  const y = (v: number) => TOP + plotH - (v / max) * plotH;
  const describe = (b: Bucket, total: number) => `${labelOf(b)}: ${total} (${series.map((s) => `${b.values[s.key] ?? 0} ${s.label}`).join(', ')})`;
  return (
    <figure className="space-y-2">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="group"
        aria-labelledby={`${id}-t`}
        aria-describedby={`${id}-d`}
        className="h-auto w-full text-slate-700 dark:text-slate-200"
      >
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{summary}</desc>
        <g aria-hidden="true" data-testid="y-ticks">
          {ticks.map((t) => (
            <g key={t}>
              <line x1={LEFT} x2={W - RIGHT} y1={y(t)} y2={y(t)} className="stroke-slate-200 dark:stroke-slate-700" strokeWidth={1} />
              <text x={LEFT - 6} y={y(t) + 4} textAnchor="end" fontSize={11} fill="currentColor">
                {t}
              </text>
            </g>
          ))}
        </g>
        {buckets.map((b, i) => {
          const x = LEFT + i * bw;
          const total = totals[i] ?? 0;
          const axis = axisLabelOf(b, i);
          let acc = 0;
          const href = hrefOf(b);
          return (
            <a
              key={b.start}
              href={href}
              aria-label={`${describe(b, total)}. Open these sign-ins in the login history.`}
              onClick={(e) => {
                if (e.metaKey || e.ctrlKey || e.shiftKey) return;
                e.preventDefault();
                router.push(href);
              }}
              className="group outline-none"
            >
              <title>{describe(b, total)}</title>
              <rect
                x={x}
                y={TOP}
                width={bw}
                height={plotH}
                className="fill-transparent group-hover:fill-slate-100 group-focus-visible:fill-brand-50 dark:group-hover:fill-slate-800"
              />
              {series.map((s) => {
                const v = b.values[s.key] ?? 0;
                if (v === 0) return null;
                const top = y(acc + v);
                const height = y(acc) - top;
                acc += v;
                return <rect key={s.key} x={x + gap / 2} y={top} width={Math.max(1, bw - gap)} height={Math.max(0.5, height)} fill={s.color} />;
              })}
              <rect
                x={x + 1}
                y={TOP}
                width={Math.max(1, bw - 2)}
                height={plotH}
                fill="none"
                className="stroke-brand-600 opacity-0 group-focus-visible:opacity-100"
                strokeWidth={2}
              />
              {axis ? (
                <text x={x + bw / 2} y={H - 8} textAnchor="middle" fontSize={11} fill="currentColor" aria-hidden="true">
                  {axis}
                </text>
              ) : null}
            </a>
          );
        })}
        <line x1={LEFT} x2={W - RIGHT} y1={TOP + plotH} y2={TOP + plotH} className="stroke-slate-400" />
      </svg>
      <figcaption>
        <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-800 dark:text-slate-200" aria-label={`Legend of ${title}`}>
          {series.map((s) => (
            <li key={s.key} className="flex items-center gap-1.5">
              <span aria-hidden="true" className="inline-block h-3 w-3 rounded-sm" style={{ background: s.color }} />
              {s.label}
            </li>
          ))}
        </ul>
      </figcaption>
      <details className="text-sm">
        <summary className="cursor-pointer text-brand-700 dark:text-blue-300">Show the numbers</summary>
        <div className="relative mt-2 overflow-x-auto">
          <table className="w-full border-collapse text-xs">
            <caption className="sr-only">{title}: the numbers</caption>
            <thead>
              <tr className="border-b border-slate-300 text-left dark:border-slate-600">
                <th scope="col" className="py-1 pr-3">
                  When
                </th>
                {series.map((s) => (
                  <th key={s.key} scope="col" className="py-1 pr-3">
                    {s.label}
                  </th>
                ))}
                <th scope="col" className="py-1 pr-3">
                  Total
                </th>
              </tr>
            </thead>
            <tbody>
              {buckets.map((b, i) => (
                <tr key={b.start} className="border-b border-slate-100 dark:border-slate-800">
                  <th scope="row" className="py-1 pr-3 text-left font-medium">
                    <a className="text-brand-700 underline dark:text-blue-300" href={hrefOf(b)}>
                      {labelOf(b)}
                    </a>
                  </th>
                  {series.map((s) => (
                    <td key={s.key} className="py-1 pr-3 tabular-nums">
                      {b.values[s.key] ?? 0}
                    </td>
                  ))}
                  <td className="py-1 pr-3 tabular-nums">{totals[i]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
