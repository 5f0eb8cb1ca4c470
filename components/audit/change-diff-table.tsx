import { DataTable } from '@/components/ui/data-table';
import { ChangeValue } from './change-values';

/** Before/after of each changed value, side by side, under the value's label. */
export function ChangeDiffTable({
  diff,
  names,
  caption,
}: {
  diff: { path: string; label: string; before?: unknown; after?: unknown }[];
  names: Record<string, string>;
  caption: string;
}) {
  if (diff.length === 0) return <p className="text-sm text-slate-600">No values changed.</p>;
  return (
    <DataTable caption={caption}>
      <thead>
        <tr className="border-b border-slate-300 text-left">
          <th scope="col" className="py-1.5 pr-3">
            Value
          </th>
          <th scope="col" className="py-1.5 pr-3">
            Before
          </th>
          <th scope="col" className="py-1.5">
            After
          </th>
        </tr>
      </thead>
      <tbody>
        {diff.map((d) => (
          <tr key={d.path} className="border-b border-slate-100 align-top">
            <th scope="row" className="py-1.5 pr-3 text-left text-xs font-semibold">
              {d.label}
              {d.label !== d.path && d.path ? <code className="block font-normal text-slate-600">{d.path}</code> : null}
            </th>
            <td className="break-all bg-red-50 py-1.5 pr-3 font-mono text-xs text-red-950">
              <span className="sr-only">Before: </span>
              <ChangeValue value={d.before} names={names} />
            </td>
            <td className="break-all bg-green-50 py-1.5 font-mono text-xs text-green-950">
              <span className="sr-only">After: </span>
              <ChangeValue value={d.after} names={names} />
            </td>
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}
