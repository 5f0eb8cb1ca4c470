'use client';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';

/** ISO instant ↔ the value of a datetime-local input (local time, minutes). */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

const quick = [
  ['Last hour', 3_600_000],
  ['Last 24 hours', 86_400_000],
  ['Last 7 days', 7 * 86_400_000],
] as const;

/** From / to (local time) and quick ranges; values are ISO instants with a zone, as the server expects. */
export function TimeRangeFields({ from, to, onChange }: { from?: string; to?: string; onChange: (range: { from?: string; to?: string }) => void }) {
  return (
    <fieldset className="space-y-2 sm:col-span-2">
      <legend className="text-sm font-medium text-slate-800">Time range</legend>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <TextField label="From" type="datetime-local" value={toLocalInput(from)} onChange={(e) => onChange({ from: fromLocalInput(e.target.value), to })} />
        <TextField label="To" type="datetime-local" value={toLocalInput(to)} onChange={(e) => onChange({ from, to: fromLocalInput(e.target.value) })} />
      </div>
      <div className="flex flex-wrap gap-2">
        {quick.map(([label, ms]) => (
          <Button key={label} size="sm" onClick={() => onChange({ from: new Date(Date.now() - ms).toISOString(), to: undefined })}>
            {label}
          </Button>
        ))}
        <Button size="sm" variant="ghost" onClick={() => onChange({ from: undefined, to: undefined })}>
          Any time
        </Button>
      </div>
    </fieldset>
  );
}
