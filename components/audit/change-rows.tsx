'use client';
import type { RouterOutputs } from '@/lib/trpc';
import { Button } from '@/components/ui/button';
import { DataTable } from '@/components/ui/data-table';
import { Time } from '@/components/ui/time';
import { ChangeTarget } from './change-target';
import { ChangeValue } from './change-values';
import { actionLabel, actorKindLabel } from './change-words';

type ChangeRow = RouterOutputs['changes']['list']['items'][number];

/** What changed, in a cell: the sentence for events, the labelled before → after for edits. */
function WhatChanged({ c }: { c: ChangeRow }) {
  if (c.diff.length === 0) return c.summary ? <span>{c.summary}</span> : <span className="text-slate-600">—</span>;
  return (
    <ul className="space-y-0.5">
      {c.diff.slice(0, 4).map((d) => (
        <li key={d.path} className="break-words">
          <span className="font-semibold">{d.label}</span>:{' '}
          <span className="text-red-800">
            <ChangeValue value={d.before} names={c.names} />
          </span>{' '}
          →{' '}
          <span className="text-green-800">
            <ChangeValue value={d.after} names={c.names} />
          </span>
        </li>
      ))}
      {c.diff.length > 4 ? <li className="text-slate-600">and {c.diff.length - 4} more</li> : null}
    </ul>
  );
}

/**
 * The change log's rows: a table on laptops (time, actor, action, target by name, what
 * changed), a list of cards on phones. A click on a row opens its detail; so does its
 * Details button, for the keyboard.
 */
export function ChangeRows({ items, selected, onSelect }: { items: ChangeRow[]; selected: number | null; onSelect: (id: number) => void }) {
  return (
    <>
      <div className="hidden md:block">
        <DataTable caption="Changes, newest first" framed>
          <thead>
            <tr className="border-b border-slate-300 text-left">
              <th scope="col" className="px-2 py-2 lg:px-3">
                Time
              </th>
              <th scope="col" className="px-2 py-2 lg:px-3">
                Actor
              </th>
              <th scope="col" className="px-2 py-2 lg:px-3">
                Action
              </th>
              <th scope="col" className="px-2 py-2 lg:px-3">
                Target
              </th>
              <th scope="col" className="px-2 py-2 lg:px-3">
                What changed
              </th>
              <th scope="col" className="px-2 py-2 lg:px-3">
                <span className="sr-only">Details</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr
                key={c.id}
                onClick={() => onSelect(c.id)}
                className={`cursor-pointer border-b border-slate-100 align-top hover:bg-slate-50 ${selected === c.id ? 'bg-brand-50' : ''}`}
              >
                <td className="px-2 py-2 lg:px-3">
                  <Time value={c.ts} />
                </td>
                <td className="break-words px-2 py-2 lg:px-3">
                  {c.actor} <span className="block text-xs text-slate-600">{actorKindLabel(c.actorKind)}</span>
                </td>
                <td className="px-2 py-2 lg:px-3">
                  {actionLabel(c.action)}
                  {c.comment ? <span className="block text-xs italic text-slate-700">“{c.comment}”</span> : null}
                </td>
                <td className="px-2 py-2 lg:px-3">
                  <ChangeTarget type={c.targetType} id={c.targetId} name={c.targetName} target={c.target} />
                </td>
                <td className="max-w-md px-2 py-2 text-xs lg:px-3">
                  <WhatChanged c={c} />
                </td>
                <td className="px-2 py-2 text-right lg:px-3">
                  <Button
                    size="sm"
                    aria-label={`Details of change ${c.id}`}
                    aria-pressed={selected === c.id}
                    onClick={(e) => {
                      e.stopPropagation();
                      onSelect(c.id);
                    }}
                  >
                    Details
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      </div>
      <ul aria-label="Changes, newest first" className="space-y-2 md:hidden">
        {items.map((c) => (
          <li key={c.id} className={`rounded-lg border border-slate-200 p-3 text-sm ${selected === c.id ? 'bg-brand-50' : 'bg-white'}`}>
            <p className="font-medium">{actionLabel(c.action)}</p>
            <p className="text-xs text-slate-700">
              <Time value={c.ts} /> · {c.actor}
            </p>
            <div className="mt-1 text-xs">
              <ChangeTarget type={c.targetType} id={c.targetId} name={c.targetName} target={c.target} />
            </div>
            <div className="mt-1 text-xs">
              <WhatChanged c={c} />
            </div>
            <Button size="sm" className="mt-2" aria-pressed={selected === c.id} onClick={() => onSelect(c.id)}>
              Details
            </Button>
          </li>
        ))}
      </ul>
    </>
  );
}
