'use client';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTRPC } from '@/lib/trpc';
import { Button } from '@/components/ui/button';
import { TextArea } from '@/components/ui/field';
import { GroupPicker } from '@/components/groups/group-picker';

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const idsOf = (text: string) => text.split(/[\s,;]+/).filter(Boolean);

/** Names of the known groups among these IDs (one `groups.names` query per list). */
export function useGroupNames(ids: string[]): Map<string, string | null> {
  const trpc = useTRPC();
  const guids = [...new Set(ids.filter((i) => GUID_RE.test(i)).map((i) => i.toLowerCase()))].slice(0, 500);
  const names = useQuery(trpc.groups.names.queryOptions({ ids: guids }, { enabled: guids.length > 0, staleTime: 30_000 }));
  return new Map((names.data ?? []).map((g) => [g.id, g.displayName]));
}

/** One entry of a group rule: the name once known, the object ID always. */
function GroupEntry({ id, names, children }: { id: string; names: Map<string, string | null>; children?: ReactNode }) {
  const lower = id.toLowerCase();
  const isGuid = GUID_RE.test(id);
  const name = names.get(lower);
  return (
    <li className="flex flex-wrap items-center gap-x-2 gap-y-1 py-1">
      <span className="font-medium text-slate-900 dark:text-slate-100">
        {!isGuid ? (
          <span className="text-red-800 dark:text-red-300">not an object ID</span>
        ) : name ? (
          name
        ) : names.has(lower) ? (
          '(no name yet)'
        ) : (
          '(not seen in a token yet)'
        )}
      </span>
      <code className="select-all break-all text-xs text-slate-700 dark:text-slate-300">{id}</code>
      {children}
    </li>
  );
}

/**
 * A group rule field (imported, required, admin, auditor groups): the IDs as text (one per
 * line; typed or pasted), the group names once known, and a picker of known groups. Auditors
 * get the same list as read-only text.
 */
export function GroupIdsField({
  id,
  label,
  labelText,
  help,
  value,
  error,
  readOnly,
  onChange,
}: {
  id: string;
  label: ReactNode;
  /** The label as plain words, for the names of the picker and the buttons. */
  labelText: string;
  help: string;
  value: string;
  error?: string | null;
  readOnly: boolean;
  onChange: (text: string) => void;
}) {
  const ids = idsOf(value);
  const names = useGroupNames(ids);
  const plainLabel = labelText;
  if (readOnly) {
    return (
      <div className="space-y-1">
        <p id={id} className="text-sm font-medium text-slate-800 dark:text-slate-100">
          {label}
        </p>
        {ids.length === 0 ? (
          <p className="text-sm text-slate-700 dark:text-slate-200">None</p>
        ) : (
          <ul aria-labelledby={id} className="divide-y divide-slate-100 text-sm dark:divide-slate-700">
            {ids.map((g) => (
              <GroupEntry key={g} id={g} names={names} />
            ))}
          </ul>
        )}
        <p className="text-xs text-slate-600 dark:text-slate-300">{help}</p>
      </div>
    );
  }
  const remove = (g: string) => onChange(ids.filter((x) => x !== g).join('\n'));
  return (
    <div className="space-y-2">
      <TextArea
        id={id}
        label={label}
        help={`${help} One object ID per line, or pick groups below.`}
        error={error}
        rows={Math.min(6, Math.max(2, ids.length + 1))}
        value={value}
        spellCheck={false}
        onChange={(e) => onChange(e.target.value)}
      />
      {ids.length > 0 ? (
        <ul
          aria-label={`Groups in ${plainLabel}`}
          className="divide-y divide-slate-100 rounded-md border border-slate-200 px-3 text-sm dark:divide-slate-700 dark:border-slate-700"
        >
          {ids.map((g) => (
            <GroupEntry key={g} id={g} names={names}>
              <Button
                size="sm"
                variant="ghost"
                className="ml-auto"
                aria-label={`Remove ${names.get(g.toLowerCase()) ?? g} from ${plainLabel}`}
                onClick={() => remove(g)}
              >
                Remove
              </Button>
            </GroupEntry>
          ))}
        </ul>
      ) : null}
      <GroupPicker
        label={`Add a group to ${plainLabel}`}
        exclude={ids.map((i) => i.toLowerCase())}
        onPick={(picked) => onChange([...ids, ...picked].join('\n'))}
      />
    </div>
  );
}
