import { claimMeanings, relativeTime, timeClaims } from '@/lib/claim-words';
import { formatDateTime } from '@/components/ui/time';
import { DataTable } from '@/components/ui/data-table';

function ClaimValue({ name, value }: { name: string; value: unknown }) {
  if (timeClaims.has(name) && typeof value === 'number') {
    const date = new Date(value * 1000);
    return (
      <span>
        <time dateTime={date.toISOString()}>{formatDateTime(date)}</time> <span className="text-slate-500">({relativeTime(date)})</span>
        <code className="ml-2 text-xs text-slate-600">{value}</code>
      </span>
    );
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="text-slate-500">(empty list)</span>;
    return (
      <ul className="space-y-0.5">
        {value.map((v, i) => (
          <li key={i}>
            <code>{typeof v === 'string' ? v : JSON.stringify(v)}</code>
          </li>
        ))}
      </ul>
    );
  }
  if (value !== null && typeof value === 'object') return <code className="whitespace-pre-wrap">{JSON.stringify(value, null, 2)}</code>;
  return <code>{String(value)}</code>;
}

/** Claims (or header parameters) as a readable table: name, meaning, value (times as dates). */
export function ClaimsTable({ claims, caption }: { claims: Record<string, unknown>; caption: string }) {
  const entries = Object.entries(claims);
  return (
    <DataTable caption={caption} minWidth="min-w-[28rem]">
      <thead>
        <tr className="border-b border-slate-300 text-left">
          <th scope="col" className="py-2 pr-3">
            Claim
          </th>
          <th scope="col" className="py-2 pr-3">
            Meaning
          </th>
          <th scope="col" className="py-2">
            Value
          </th>
        </tr>
      </thead>
      <tbody>
        {entries.map(([name, value]) => (
          <tr key={name} className="border-b border-slate-100 align-top">
            <th scope="row" className="py-1.5 pr-3 text-left font-mono text-xs font-semibold">
              {name}
            </th>
            <td className="py-1.5 pr-3 text-xs text-slate-600">{claimMeanings[name] ?? ''}</td>
            <td className="break-all py-1.5 text-xs">
              <ClaimValue name={name} value={value} />
            </td>
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}
