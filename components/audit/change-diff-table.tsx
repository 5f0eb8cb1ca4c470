import { shortValue } from './change-words';
import { DataTable } from '@/components/ui/data-table';

/** Before/after of each changed value, side by side. */
/** `{path, before, after}` entries of server/audit/change-diff.ts (values may be absent on the wire). */
export function ChangeDiffTable({ diff, caption }: { diff: { path: string; before?: unknown; after?: unknown }[]; caption: string }) {
  if (diff.length === 0) return <p className="text-sm text-slate-600">No values changed.</p>;
  return (
    <DataTable caption={caption}>
        <thead>
          <tr className="border-b border-slate-300 text-left">
            <th scope="col" className="py-1.5 pr-3">Value</th>
            <th scope="col" className="py-1.5 pr-3">Before</th>
            <th scope="col" className="py-1.5">After</th>
          </tr>
        </thead>
        <tbody>
          {diff.map((d) => (
            <tr key={d.path} className="border-b border-slate-100 align-top">
              <th scope="row" className="py-1.5 pr-3 text-left font-mono text-xs font-semibold">{d.path || '(whole)'}</th>
              <td className="break-all bg-red-50 py-1.5 pr-3 font-mono text-xs">{shortValue(d.before)}</td>
              <td className="break-all bg-green-50 py-1.5 font-mono text-xs">{shortValue(d.after)}</td>
            </tr>
          ))}
        </tbody>
    </DataTable>
  );
}
