'use client';
import { useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { browserZone, formatDateTime } from '@/components/ui/time';

/** ISO instant → "2026-12-01 09:41" in the browser's zone (what the field shows). */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : formatDateTime(d, { seconds: false, zone: false });
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * What a person types → an ISO instant: "2026-12-01", "2026-12-01 09:41" (the browser's
 * zone) or a full ISO time with `Z` or an offset. `undefined` for empty, `null` for unreadable.
 */
export function fromLocalInput(value: string): string | undefined | null {
  const text = value.trim();
  if (!text) return undefined;
  const m = LOCAL.exec(text);
  if (m) {
    const [y, mo, d, h, mi, s] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x))) as number[];
    const date = new Date(y!, mo! - 1, d!, h!, mi!, s!);
    // new Date rolls 2026-02-31 over into March: refuse what is not a real date
    if (date.getFullYear() !== y || date.getMonth() !== mo! - 1 || date.getDate() !== d || h! > 23) return null;
    return date.toISOString();
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    const date = new Date(text);
    return Number.isNaN(date.getTime()) ? null : date.toISOString();
  }
  return null;
}

const quick = [
  ['Last hour', 3_600_000],
  ['Last 24 hours', 86_400_000],
  ['Last 7 days', 7 * 86_400_000],
] as const;

/** One end of the range: typed freely, committed on Enter or leaving the field. */
function TimeField({ label, value, zone, onCommit }: { label: string; value: string | undefined; zone: string; onCommit: (iso: string | undefined) => void }) {
  const [text, setText] = useState(toLocalInput(value));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the field follows a new value from outside (URL filters)
    setText(toLocalInput(value));
    setError(null);
  }, [value]);
  const commit = () => {
    const iso = fromLocalInput(text);
    if (iso === null) return setError(`Write the time as YYYY-MM-DD HH:MM (${zone}), e.g. 2026-12-01 09:30.`);
    setError(null);
    if (iso !== value) onCommit(iso);
  };
  return (
    <TextField
      label={`${label} (${zone})`}
      value={text}
      placeholder="YYYY-MM-DD HH:MM"
      inputMode="numeric"
      autoComplete="off"
      spellCheck={false}
      error={error}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          commit();
        }
      }}
    />
  );
}

/** From / to in the browser's zone (named), and quick ranges; values are ISO instants, as the server expects. */
export function TimeRangeFields({ from, to, onChange }: { from?: string; to?: string; onChange: (range: { from?: string; to?: string }) => void }) {
  const [zone, setZone] = useState('UTC');
  // the zone is the browser's: read after hydration so that server and client render alike
  useEffect(() => {
    const z = browserZone();
    // eslint-disable-next-line react-hooks/set-state-in-effect -- read after hydration, see above
    setZone(z.id === 'UTC' ? 'UTC' : `${z.id}, ${z.short}`);
  }, []);
  return (
    <fieldset className="space-y-2 sm:col-span-2">
      <legend className="text-sm font-medium text-slate-800">Time range</legend>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <TimeField label="From" value={from} zone={zone} onCommit={(v) => onChange({ from: v, to })} />
        <TimeField label="To" value={to} zone={zone} onCommit={(v) => onChange({ from, to: v })} />
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
