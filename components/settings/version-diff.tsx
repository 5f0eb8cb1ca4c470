import { settingsFields } from '@/shared/settings/fields';
import type { SettingsDocument } from '@/shared/settings/schema';
import { changedKeys, displayValue } from '@/lib/settings-form';
import { DataTable } from '@/components/ui/data-table';

/** Side-by-side table of the fields that differ between two settings documents. */
export function VersionDiff({
  left,
  right,
  leftLabel,
  rightLabel,
  caption,
}: {
  left: SettingsDocument;
  right: SettingsDocument;
  leftLabel: string;
  rightLabel: string;
  caption: string;
}) {
  const keys = changedKeys(left, right);
  if (keys.length === 0) return <p className="text-sm text-slate-600">{caption}: no field differs.</p>;
  return (
    <DataTable caption={caption} minWidth="min-w-[32rem]" showCaption>
      <thead>
        <tr className="border-b border-slate-300 text-left">
          <th scope="col" className="py-2 pr-3">
            Field
          </th>
          <th scope="col" className="py-2 pr-3">
            {leftLabel}
          </th>
          <th scope="col" className="py-2">
            {rightLabel}
          </th>
        </tr>
      </thead>
      <tbody>
        {keys.map((key) => (
          <tr key={key} className="border-b border-slate-100 align-top">
            <th scope="row" className="py-2 pr-3 text-left font-medium">
              {settingsFields[key].label} <code className="block text-xs font-normal text-slate-500">{key}</code>
            </th>
            <td className="break-all bg-red-50 py-2 pr-3 font-mono text-xs">{displayValue(key, left[key])}</td>
            <td className="break-all bg-green-50 py-2 font-mono text-xs">{displayValue(key, right[key])}</td>
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}
