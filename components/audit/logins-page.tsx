'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { useKeysetPages } from '@/lib/use-keyset-pages';
import { useUrlFilters } from '@/lib/use-url-filters';
import { useTRPC } from '@/lib/trpc';
import { QueryError } from '@/components/ui/query-error';
import { Loading } from '@/components/ui/loading';
import { Pager } from '@/components/ui/pager';
import { PageHeader } from '@/components/ui/section';
import { Time } from '@/components/ui/time';
import { ExportButtons } from './export-buttons';
import { LoginDetail } from './login-detail';
import { LoginFilters, loginFilterKeys } from './login-filters';
import { IntegritySection } from './verify-integrity';
import { LoginRows } from './login-rows';
import { DetailDrawer } from './detail-drawer';

/** Login history: every attempt, filtered (in the URL), keyset pages, a detail panel, export and verify. */
export function LoginsPage() {
  const trpc = useTRPC();
  const { values, set } = useUrlFilters(loginFilterKeys);
  const filterKey = JSON.stringify(values);
  const pages = useKeysetPages(filterKey);
  const [selected, setSelected] = useState<number | null>(null);
  const close = useCallback(() => setSelected(null), []);
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
      <LoginFilters
        values={values}
        set={(patch) => {
          setSelected(null);
          set(patch);
        }}
      />
      <div className="mt-4">
        <div className="min-w-0">
          {list.isPending ? (
            <Loading />
          ) : list.isError ? (
            <QueryError error={list.error} busy={list.isFetching} onRetry={() => void list.refetch()} />
          ) : (
            <>
              {list.data.items.length === 0 ? (
                <p className="text-sm text-slate-600">No sign-in attempts match these filters.</p>
              ) : (
                <LoginRows items={list.data.items} selected={selected} onSelect={setSelected} />
              )}
              {list.data.searchedBackTo !== null ? (
                <p className="mt-2 text-sm text-slate-600">
                  Searched back to <Time value={list.data.searchedBackTo} />; press Next to search further back.
                </p>
              ) : null}
            </>
          )}
          <Pager
            page={pages.page}
            hasPrevious={pages.hasPrevious}
            nextCursor={list.data?.nextCursor ?? null}
            onPrevious={pages.previous}
            onNext={pages.next}
            busy={list.isFetching}
          />
        </div>
        {selected !== null ? (
          <DetailDrawer onClose={close}>
            <LoginDetail id={selected} onClose={close} />
          </DetailDrawer>
        ) : null}
      </div>
      <IntegritySection />
    </>
  );
}
