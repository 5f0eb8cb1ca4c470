'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useKeysetPages } from '@/lib/use-keyset-pages';
import { useUrlFilters } from '@/lib/use-url-filters';
import { useTRPC } from '@/lib/trpc';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { SelectField } from '@/components/ui/field';
import { Loading } from '@/components/ui/loading';
import { Pager } from '@/components/ui/pager';
import { PageHeader } from '@/components/ui/section';
import { Time } from '@/components/ui/time';
import { ChangeDetail } from './change-detail';
import { ChangeTarget } from './change-target';
import { actionLabel, changeActionLabels, shortValue, targetTypeLabels } from './change-words';
import { ExportButtons } from './export-buttons';
import { TextFilter } from '@/components/ui/text-filter';
import { TimeRangeFields } from './time-range-fields';
import { IntegritySection } from './verify-integrity';
import { DataTable } from '@/components/ui/data-table';

const keys = ['from', 'to', 'action', 'targetType', 'targetId', 'actor', 'actorKind'] as const;
const targetTypes = ['settings', 'user', 'group', 'local_admin', 'audit'] as const;
const actorKinds = ['entra', 'local', 'cli', 'system'] as const;
type TargetType = (typeof targetTypes)[number];
type ActorKind = (typeof actorKinds)[number];

/** Change log: settings versions, user and group changes, break-glass events, with before/after. */
export function ChangesPage() {
  const trpc = useTRPC();
  const { values, set } = useUrlFilters(keys);
  const pages = useKeysetPages(JSON.stringify(values));
  const [selected, setSelected] = useState<number | null>(null);
  const filter = {
    ...values,
    targetType: targetTypes.find((t) => t === values.targetType) as TargetType | undefined,
    actorKind: actorKinds.find((k) => k === values.actorKind) as ActorKind | undefined,
  };
  const list = useQuery(trpc.changes.list.queryOptions({ filter, cursor: pages.cursor, limit: 50 }, { placeholderData: keepPreviousData }));
  const update = (patch: Partial<Record<(typeof keys)[number], string | undefined>>) => {
    setSelected(null);
    set(patch);
  };
  return (
    <>
      <PageHeader title="Change log" description="Every change to the SSO settings, users and groups, and every break-glass event, newest first." actions={<ExportButtons stream="changes" filter={values} />} />
      <form role="search" aria-label="Filter the change log" onSubmit={(e) => e.preventDefault()} className="grid grid-cols-1 gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 xl:grid-cols-4">
        <TimeRangeFields from={values.from} to={values.to} onChange={(r) => update({ from: r.from, to: r.to })} />
        <SelectField label="Action" value={values.action ?? ''} onChange={(e) => update({ action: e.target.value || undefined })}>
          <option value="">Any action</option>
          {Object.entries(changeActionLabels).map(([code, label]) => <option key={code} value={code}>{label}</option>)}
        </SelectField>
        <SelectField label="Target" value={values.targetType ?? ''} onChange={(e) => update({ targetType: e.target.value || undefined })}>
          <option value="">Anything</option>
          {targetTypes.map((t) => <option key={t} value={t}>{targetTypeLabels[t]}</option>)}
        </SelectField>
        <TextFilter label="Actor" value={values.actor} placeholder="Part of a name" onCommit={(v) => update({ actor: v })} />
        <SelectField label="Actor kind" value={values.actorKind ?? ''} onChange={(e) => update({ actorKind: e.target.value || undefined })}>
          <option value="">Any</option>
          <option value="entra">Entra ID user</option>
          <option value="local">Local admin</option>
          <option value="cli">Command line</option>
          <option value="system">System</option>
        </SelectField>
        <div className="flex items-end">
          <Button size="sm" variant="ghost" onClick={() => update(Object.fromEntries(keys.map((k) => [k, undefined])))}>Clear filters</Button>
        </div>
      </form>
      <div className={`mt-4 grid grid-cols-1 gap-4 ${selected !== null ? '2xl:grid-cols-[minmax(0,1fr)_30rem]' : ''}`}>
        <div aria-live="polite" className="min-w-0">
          {list.isPending ? <Loading /> : list.isError ? <Alert tone="error">{list.error.message}</Alert> : list.data.items.length === 0 ? <p className="text-sm text-slate-600">No changes match these filters.</p> : (
            <DataTable caption="Changes, newest first" minWidth="min-w-[50rem]" framed>
                <thead>
                  <tr className="border-b border-slate-300 text-left">
                    <th scope="col" className="px-3 py-2">Time</th>
                    <th scope="col" className="px-3 py-2">Actor</th>
                    <th scope="col" className="px-3 py-2">Action</th>
                    <th scope="col" className="px-3 py-2">Target</th>
                    <th scope="col" className="px-3 py-2">Changed (before → after)</th>
                    <th scope="col" className="px-3 py-2"><span className="sr-only">Details</span></th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.items.map((c) => (
                    <tr key={c.id} className={`border-b border-slate-100 align-top ${selected === c.id ? 'bg-brand-50' : ''}`}>
                      <td className="whitespace-nowrap px-3 py-2"><Time value={c.ts} /></td>
                      <td className="px-3 py-2">{c.actor} <span className="block text-xs text-slate-500">{c.actorKind}</span></td>
                      <td className="px-3 py-2">{actionLabel(c.action)}{c.comment ? <span className="block text-xs italic text-slate-600">“{c.comment}”</span> : null}</td>
                      <td className="px-3 py-2"><ChangeTarget type={c.targetType} id={c.targetId} /></td>
                      <td className="max-w-md px-3 py-2 text-xs">
                        {c.diff.length === 0 ? <span className="text-slate-400">—</span> : (
                          <ul className="space-y-0.5">
                            {c.diff.slice(0, 4).map((d) => (
                              <li key={d.path} className="break-all">
                                <code className="font-semibold">{d.path || '(whole)'}</code>: <span className="text-red-800">{shortValue(d.before)}</span> → <span className="text-green-800">{shortValue(d.after)}</span>
                              </li>
                            ))}
                            {c.diff.length > 4 ? <li className="text-slate-500">and {c.diff.length - 4} more</li> : null}
                          </ul>
                        )}
                      </td>
                      <td className="px-3 py-2 text-right">
                        <Button size="sm" aria-label={`Details of change ${c.id}`} aria-pressed={selected === c.id} onClick={() => setSelected(c.id)}>Details</Button>
                      </td>
                    </tr>
                  ))}
                </tbody>
            </DataTable>
          )}
          {list.data?.searchedBackTo ? <p className="mt-2 text-sm text-slate-600">Searched back to <Time value={list.data.searchedBackTo} />; press Next to search further back.</p> : null}
          <Pager page={pages.page} hasPrevious={pages.hasPrevious} nextCursor={list.data?.nextCursor ?? null} onPrevious={pages.previous} onNext={pages.next} busy={list.isFetching} />
        </div>
        {selected !== null ? <div className="2xl:sticky 2xl:top-16 2xl:self-start"><ChangeDetail id={selected} onClose={() => setSelected(null)} /></div> : null}
      </div>
      <IntegritySection />
    </>
  );
}
