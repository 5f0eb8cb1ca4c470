/** Absolute local time with the ISO value for machines and tooltips. */
export function Time({ value }: { value: number | string | Date | null | undefined }) {
  if (value === null || value === undefined || value === '') return <span className="text-slate-500">—</span>;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return <span>{String(value)}</span>;
  return (
    <time dateTime={date.toISOString()} title={date.toISOString()}>
      {formatDateTime(date)}
    </time>
  );
}

export function formatDateTime(date: Date): string {
  return date.toLocaleString('en-GB', { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
