'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { groupRuleKeys } from '@/lib/settings-form';
import { useDebounced } from '@/lib/use-debounced';
import { useKeysetPages } from '@/lib/use-keyset-pages';
import { useTRPC } from '@/lib/trpc';
import { Alert } from '@/components/ui/alert';
import { TextField } from '@/components/ui/field';
import { Loading } from '@/components/ui/loading';
import { Pager } from '@/components/ui/pager';
import { PageHeader } from '@/components/ui/section';
import { useConsoleSession } from '@/components/console/console-context';
import { SaveBar } from '@/components/settings/save-bar';
import { UnsavedChangesGuard } from '@/components/settings/unsaved-changes-guard';
import { SettingsFieldGroup } from '@/components/settings/settings-form';
import { useSettingsDraft } from '@/components/settings/use-settings-draft';
import { GroupRow } from './group-row';
import { DataTable } from '@/components/ui/data-table';

/** Groups seen in tokens with member counts, admin-given names, and the group rules (settings fields). */
export function GroupsPage() {
  const trpc = useTRPC();
  const { isAdmin } = useConsoleSession();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim());
  const pages = useKeysetPages(q);
  const groups = useQuery(trpc.groups.list.queryOptions({ search: q || undefined, cursor: pages.cursor, limit: 50 }, { placeholderData: keepPreviousData }));
  const rules = useSettingsDraft();
  return (
    <>
      <PageHeader title="Groups" description="Entra ID groups seen in tokens. Tokens carry only object IDs: give groups a name here." />
      <div className="mb-4 max-w-md">
        <TextField label="Search groups" type="search" placeholder="Name or object ID" value={search} onChange={(e) => setSearch(e.target.value)} />
      </div>
      <div aria-live="polite">
        {groups.data ? (
          <p className="mb-2 text-sm text-slate-700 dark:text-slate-200" data-testid="groups-total">
            {groups.data.total === 1 ? '1 group' : `${groups.data.total.toLocaleString('en-US')} groups`}
            {q ? (groups.data.total === 1 ? ' matches the search' : ' match the search') : ''}
            {groups.data.total > groups.data.items.length ? `; showing ${groups.data.items.length} per page` : ''}.
          </p>
        ) : null}
        {groups.isPending ? (
          <Loading />
        ) : groups.isError ? (
          <Alert tone="error">{groups.error.message}</Alert>
        ) : groups.data.items.length === 0 ? (
          <p className="text-sm text-slate-600">No groups yet: they appear as users sign in.</p>
        ) : (
          <DataTable caption="Groups with member counts" minWidth="min-w-[44rem]" framed>
            <thead>
              <tr className="border-b border-slate-300 text-left">
                <th scope="col" className="px-3 py-2">
                  Group
                </th>
                <th scope="col" className="px-3 py-2">
                  Assignment group
                </th>
                <th scope="col" className="px-3 py-2">
                  Members
                </th>
                <th scope="col" className="px-3 py-2">
                  Last seen
                </th>
                <th scope="col" className="px-3 py-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {groups.data.items.map((g) => (
                <GroupRow key={g.id} group={g} />
              ))}
            </tbody>
          </DataTable>
        )}
      </div>
      <Pager
        page={pages.page}
        hasPrevious={pages.hasPrevious}
        nextCursor={groups.data?.nextCursor ?? null}
        onPrevious={pages.previous}
        onNext={pages.next}
        busy={groups.isFetching}
      />
      <div className="mt-8">
        {rules.current.isPending ? (
          <Loading />
        ) : rules.current.isError ? (
          <Alert tone="error">{rules.current.error.message}</Alert>
        ) : (
          <form aria-label="Group rules" onSubmit={(e) => e.preventDefault()} className="space-y-0">
            <SettingsFieldGroup
              id="group-rules"
              title="Group rules"
              description="Which groups are imported at sign-in, and which groups a user must be in to sign in (others are refused with group_required). These are SSO settings: saving creates a settings version."
              keys={groupRuleKeys}
              state={rules}
              readOnly={!isAdmin}
            />
            {isAdmin ? <SaveBar state={rules} /> : null}
            {isAdmin ? <UnsavedChangesGuard dirty={rules.dirtyKeys.length > 0} count={rules.dirtyKeys.length} /> : null}
          </form>
        )}
      </div>
    </>
  );
}
