'use client';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useDebounced } from '@/lib/use-debounced';
import { useTRPC } from '@/lib/trpc';

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Option {
  id: string;
  name: string | null;
}

/**
 * A combobox (ARIA 1.2, list autocomplete) over the known groups: search by name or object ID,
 * ↑/↓ and Enter to pick, Escape to close. A GUID typed or pasted (several at once too) can be
 * added although no token carried it yet. `exclude` are the IDs already in the rule.
 */
export function GroupPicker({ label, exclude, onPick }: { label: string; exclude: readonly string[]; onPick: (ids: string[]) => void }) {
  const trpc = useTRPC();
  const id = useId();
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const search = useDebounced(text.trim(), 200);
  const found = useQuery(trpc.groups.list.queryOptions({ search: search || undefined, limit: 10 }, { enabled: open }));
  const pasted = text
    .split(/[\s,;]+/)
    .filter((t) => GUID_RE.test(t))
    .map((t) => t.toLowerCase());
  // Only results for what is typed now: while the debounce or the fetch is pending, the list of
  // an earlier search would let ↓/Enter pick a group the admin did not ask for.
  const settled = search === text.trim() && !found.isPlaceholderData;
  const known = (settled ? (found.data?.items ?? []) : []).filter((g) => !exclude.includes(g.id)).map((g): Option => ({ id: g.id, name: g.name }));
  const extra = pasted.filter((p) => !exclude.includes(p) && !known.some((k) => k.id === p)).map((p): Option => ({ id: p, name: null }));
  const options = [...extra, ...known];
  const listId = `${id}-list`;
  const current = options[Math.min(active, options.length - 1)];

  function pick(option: Option | undefined) {
    if (!option) return;
    const ids = pasted.length > 1 ? pasted.filter((p) => !exclude.includes(p)) : [option.id];
    onPick(ids);
    setText('');
    setActive(0);
  }

  return (
    <div className="relative">
      <label htmlFor={`${id}-input`} className="text-xs font-medium text-slate-700 dark:text-slate-200">
        {label}
      </label>
      <input
        id={`${id}-input`}
        role="combobox"
        aria-expanded={open && options.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && current ? `${id}-opt-${current.id}` : undefined}
        autoComplete="off"
        spellCheck={false}
        placeholder="Search by name or object ID, or paste IDs"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setOpen(true);
            setActive((a) => Math.min(a + 1, Math.max(0, options.length - 1)));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(0, a - 1));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            if (open) pick(current);
          } else if (e.key === 'Escape') {
            setOpen(false);
          }
        }}
        className="mt-1 block w-full rounded-md border border-slate-400 bg-white px-3 py-1.5 text-sm text-slate-900 placeholder:text-slate-600 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100 dark:placeholder:text-slate-300"
      />
      {open ? (
        <ul
          id={listId}
          role="listbox"
          aria-label={`Groups matching “${text.trim() || 'anything'}”`}
          className="absolute z-30 mt-1 max-h-64 w-full overflow-auto rounded-md border border-slate-300 bg-white py-1 text-sm shadow-lg empty:hidden dark:border-slate-600 dark:bg-slate-900"
        >
          {options.map((o, i) => (
            <li
              key={o.id}
              id={`${id}-opt-${o.id}`}
              role="option"
              aria-selected={o === current}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => pick(o)}
              className={`cursor-pointer px-3 py-1.5 ${i === active ? 'bg-brand-50 dark:bg-slate-700' : ''}`}
            >
              <span className="font-medium text-slate-900 dark:text-slate-100">
                {o.name ?? (extra.includes(o) ? `Add ${pasted.length > 1 ? `${pasted.length} pasted IDs` : 'this ID'}` : '(no name yet)')}
              </span>
              <code className="ml-2 text-xs text-slate-700 dark:text-slate-300">{o.id}</code>
            </li>
          ))}
        </ul>
      ) : null}
      {open && settled && found.isSuccess && options.length === 0 ? (
        <p className="mt-1 text-xs text-slate-700 dark:text-slate-300" role="status">
          No known group matches. Paste the group&apos;s object ID to add it anyway.
        </p>
      ) : null}
    </div>
  );
}
