/**
 * Absolute time in the browser's zone, with the zone named ("2026-12-01 09:41:07 EST"), and
 * the UTC instant for machines (`dateTime`) and people (the tooltip). Audit work compares
 * times across people in several zones: a time without its zone is ambiguous.
 */
export function Time({ value, seconds = true }: { value: number | string | Date | null | undefined; seconds?: boolean }) {
  if (value === null || value === undefined || value === '') return <span className="text-slate-600">—</span>;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return <span>{String(value)}</span>;
  return (
    <time dateTime={date.toISOString()} title={utcTitle(date)}>
      {formatDateTime(date, { seconds })}
    </time>
  );
}

/** "2026-12-01 14:41:07 UTC", for tooltips and exports' words. */
export function utcTitle(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** The browser's IANA zone ("America/New_York") and its short name now ("EST"). */
export function browserZone(at = new Date()): { id: string; short: string } {
  const id = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  return { id, short: zoneShortName(at) };
}

function zoneShortName(date: Date): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(date).find((p) => p.type === 'timeZoneName');
  return part?.value ?? 'UTC';
}

/** "2026-12-01 09:41:07 EST": ISO-like local date and time with the zone's short name (or GMT offset). */
export function formatDateTime(date: Date, { seconds = true, zone = true }: { seconds?: boolean; zone?: boolean } = {}): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  const time = `${parts.hour}:${parts.minute}${seconds ? `:${parts.second}` : ''}`;
  return `${parts.year}-${parts.month}-${parts.day} ${time}${zone ? ` ${parts.timeZoneName ?? ''}` : ''}`.trimEnd();
}
