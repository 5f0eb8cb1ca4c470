'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { useKeysetPages } from '@/lib/use-keyset-pages';
import { useUrlFilters } from '@/lib/use-url-filters';
import { useTRPC } from '@/lib/trpc';
import { QueryError } from '@/components/ui/query-error';
import { Button } from '@/components/ui/button';
import { SelectField } from '@/components/ui/field';
import { Loading } from '@/components/ui/loading';
import { Pager } from '@/components/ui/pager';
import { PageHeader } from '@/components/ui/section';
import { Time } from '@/components/ui/time';
import { ChangeDetail } from './change-detail';
import { ChangeRows } from './change-rows';
import { DetailDrawer } from './detail-drawer';
import { changeActionLabels, targetTypeLabels } from './change-words';
import { ExportButtons } from './export-buttons';
import { TextFilter } from '@/components/ui/text-filter';
import { TimeRangeFields } from './time-range-fields';
import { IntegritySection } from './verify-integrity';

const keys = ['from', 'to', 'action', 'targetType', 'targetId', 'actor', 'actorKind'] as const;
const targetTypes = ['settings', 'user', 'group', 'local_admin', 'audit', 'console'] as const;
const actorKinds = ['entra', 'local', 'cli', 'system'] as const;
type TargetType = (typeof targetTypes)[number];
type ActorKind = (typeof actorKinds)[number];

/** Change log: settings versions, user and group changes, break-glass events, with before/after. */
export function ChangesPage() {
  const trpc = useTRPC();
  const { values, set } = useUrlFilters(keys);
  const pages = useKeysetPages(JSON.stringify(values));
  const [selected, setSelected] = useState<number | null>(null);
  const close = useCallback(() => setSelected(null), []);
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
      <PageHeader
        title="Change log"
        description="Every change to the SSO settings, users and groups, and every break-glass event, newest first."
        actions={<ExportButtons stream="changes" filter={values} />}
      />
      <form
        role="search"
        aria-label="Filter the change log"
        onSubmit={(e) => e.preventDefault()}
        className="grid grid-cols-1 gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 xl:grid-cols-4"
      >
        <TimeRangeFields from={values.from} to={values.to} onChange={(r) => update({ from: r.from, to: r.to })} />
        <SelectField label="Action" value={values.action ?? ''} onChange={(e) => update({ action: e.target.value || undefined })}>
          <option value="">Any action</option>
          {Object.entries(changeActionLabels).map(([code, label]) => (
            <option key={code} value={code}>
              {label}
            </option>
          ))}
        </SelectField>
        <SelectField label="Target" value={values.targetType ?? ''} onChange={(e) => update({ targetType: e.target.value || undefined })}>
          <option value="">Anything</option>
          {targetTypes.map((t) => (
            <option key={t} value={t}>
              {targetTypeLabels[t]}
            </option>
          ))}
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
          <Button size="sm" variant="ghost" onClick={() => update(Object.fromEntries(keys.map((k) => [k, undefined])))}>
            Clear filters
          </Button>
        </div>
      </form>
      <div className="mt-4">
        <div className="min-w-0">
          {list.isPending ? (
            <Loading />
          ) : list.isError ? (
            <QueryError error={list.error} busy={list.isFetching} onRetry={() => void list.refetch()} />
          ) : list.data.items.length === 0 ? (
            <p className="text-sm text-slate-600">No changes match these filters.</p>
          ) : (
            <ChangeRows items={list.data.items} selected={selected} onSelect={setSelected} />
          )}
          {list.data?.searchedBackTo ? (
            <p className="mt-2 text-sm text-slate-600">
              Searched back to <Time value={list.data.searchedBackTo} />; press Next to search further back.
            </p>
          ) : null}
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
            <ChangeDetail id={selected} onClose={close} />
          </DetailDrawer>
        ) : null}
      </div>
      <IntegritySection />
    </>
  );
}
