'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { useKeysetPages } from '@/lib/use-keyset-pages';
import { useUrlFilters } from '@/lib/use-url-filters';
import { useTRPC } from '@/lib/trpc';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Loading } from '@/components/ui/loading';
import { Pager } from '@/components/ui/pager';
import { PageHeader } from '@/components/ui/section';
import { Time } from '@/components/ui/time';
import { OutcomeBadge } from '@/components/overview/sign-in-table';
import { ExportButtons } from './export-buttons';
import { LoginDetail } from './login-detail';
import { LoginFilters, loginFilterKeys } from './login-filters';
import { IntegritySection } from './verify-integrity';
import { DataTable } from '@/components/ui/data-table';

/** Login history: every attempt, filtered (in the URL), keyset pages, a detail panel, export and verify. */
export function LoginsPage() {
  const trpc = useTRPC();
  const { values, set } = useUrlFilters(loginFilterKeys);
  const filterKey = JSON.stringify(values);
  const pages = useKeysetPages(filterKey);
  const [selected, setSelected] = useState<number | null>(null);
  const outcome = values.outcome === 'accepted' || values.outcome === 'refused' ? (values.outcome as 'accepted' | 'refused') : undefined;
  const filter = { ...values, outcome };
  const list = useQuery(trpc.logins.list.queryOptions({ filter, cursor: pages.cursor, limit: 50 }, { placeholderData: keepPreviousData }));

  return (
    <>
      <PageHeader
        title="Login history"
        description="Every sign-in attempt at /api/login, accepted or refused, newest first."
        actions={<ExportButtons stream="logins" filter={values} />}
      />
      <LoginFilters values={values} set={(patch) => { setSelected(null); set(patch); }} />
      <div className={`mt-4 grid grid-cols-1 gap-4 ${selected !== null ? '2xl:grid-cols-[minmax(0,1fr)_26rem]' : ''}`}>
        <div aria-live="polite" className="min-w-0">
          {list.isPending ? <Loading /> : list.isError ? <Alert tone="error">{list.error.message}</Alert> : (
            <>
              {list.data.items.length === 0 ? <p className="text-sm text-slate-600">No sign-in attempts match these filters.</p> : (
                <DataTable caption="Sign-in attempts, newest first" minWidth="min-w-[56rem]" framed>
                    <thead>
                      <tr className="border-b border-slate-300 text-left">
                        <th scope="col" className="px-3 py-2">Time</th>
                        <th scope="col" className="px-3 py-2">User</th>
                        <th scope="col" className="px-3 py-2">Outcome</th>
                        <th scope="col" className="px-3 py-2">Reason</th>
                        <th scope="col" className="px-3 py-2">Sign-in method</th>
                        <th scope="col" className="px-3 py-2">Client app</th>
                        <th scope="col" className="px-3 py-2">Token</th>
                        <th scope="col" className="px-3 py-2">IP</th>
                        <th scope="col" className="px-3 py-2"><span className="sr-only">Details</span></th>
                      </tr>
                    </thead>
                    <tbody>
                      {list.data.items.map((e) => (
                        <tr key={e.id} className={`border-b border-slate-100 align-top ${selected === e.id ? 'bg-brand-50' : ''}`}>
                          <td className="whitespace-nowrap px-3 py-2"><Time value={e.ts} /></td>
                          <td className="px-3 py-2">
                            {e.userId ? <Link className="text-brand-700 underline" href={`/users/${encodeURIComponent(e.userId)}`}>{e.displayName ?? e.username ?? e.userId}</Link> : (e.displayName ?? e.username ?? <span className="text-slate-400">unknown</span>)}
                            {e.tenantId ? <code className="block whitespace-nowrap text-[0.7rem] text-slate-500" title="Tenant">{e.tenantId}</code> : null}
                          </td>
                          <td className="px-3 py-2"><OutcomeBadge outcome={e.outcome} /></td>
                          <td className="px-3 py-2">{e.reason ? <>{e.reasonLabel} <code className="block text-xs text-slate-500">{e.reason}</code></> : <span className="text-slate-400">—</span>}</td>
                          <td className="px-3 py-2">{e.signInMethodLabel}</td>
                          <td className="whitespace-nowrap px-3 py-2 font-mono text-[0.7rem]">{e.clientAppId ?? '—'}</td>
                          <td className="px-3 py-2">{e.tokenVersion ? `v${e.tokenVersion}` : '—'}</td>
                          <td className="px-3 py-2 font-mono text-xs">{e.ip ?? '—'}</td>
                          <td className="px-3 py-2 text-right">
                            <Button size="sm" aria-label={`Details of attempt ${e.id}`} aria-pressed={selected === e.id} onClick={() => setSelected(e.id)}>Details</Button>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                </DataTable>
              )}
              {list.data.searchedBackTo !== null ? (
                <p className="mt-2 text-sm text-slate-600">
                  Searched back to <Time value={list.data.searchedBackTo} />; press Next to search further back.
                </p>
              ) : null}
            </>
          )}
          <Pager page={pages.page} hasPrevious={pages.hasPrevious} nextCursor={list.data?.nextCursor ?? null} onPrevious={pages.previous} onNext={pages.next} busy={list.isFetching} />
        </div>
        {selected !== null ? (
          <div className="2xl:sticky 2xl:top-16 2xl:self-start">
            <LoginDetail id={selected} onClose={() => setSelected(null)} />
          </div>
        ) : null}
      </div>
      <IntegritySection />
    </>
  );
}
