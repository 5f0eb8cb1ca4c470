'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useKeysetPages } from '@/lib/use-keyset-pages';
import { useUrlFilters } from '@/lib/use-url-filters';
import { useTRPC } from '@/lib/trpc';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { SelectField } from '@/components/ui/field';
import { TextFilter } from '@/components/ui/text-filter';
import { Loading } from '@/components/ui/loading';
import { Pager } from '@/components/ui/pager';
import { PageHeader } from '@/components/ui/section';
import { Time } from '@/components/ui/time';
import { DataTable } from '@/components/ui/data-table';

const filterKeys = ['q', 'status', 'group'] as const;
type FilterKey = (typeof filterKeys)[number];

/** Users who signed in: search, status and group filters (kept in the URL), keyset paging. */
export function UsersPage() {
  const trpc = useTRPC();
  const { values: params, set } = useUrlFilters(filterKeys);
  const status = params.status === 'active' || params.status === 'disabled' ? params.status : undefined;
  const groupId = params.group;
  const q = params.q ?? '';
  const setParam = (name: FilterKey, value: string | undefined) => set({ [name]: value });

  const pages = useKeysetPages(JSON.stringify([q, status, groupId]));
  const users = useQuery(
    trpc.users.list.queryOptions({ search: q || undefined, status, groupId, cursor: pages.cursor, limit: 50 }, { placeholderData: keepPreviousData }),
  );
  const groups = useQuery(trpc.groups.list.queryOptions({ limit: 200 }));

  return (
    <>
      <PageHeader title="Users" description="Everyone who signed in with Entra ID. Users are identified by tenant and object ID." />
      <form
        role="search"
        aria-label="Filter users"
        onSubmit={(e) => e.preventDefault()}
        className="mb-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-[2fr_1fr_1fr]"
      >
        <TextFilter label="Search" placeholder="Name, email, user name or object ID" value={params.q} onCommit={(v) => set({ q: v })} />
        <SelectField label="Status" value={status ?? ''} onChange={(e) => setParam('status', e.target.value || undefined)}>
          <option value="">All</option>
          <option value="active">Active</option>
          <option value="disabled">Disabled</option>
        </SelectField>
        <SelectField label="Group" value={groupId ?? ''} onChange={(e) => setParam('group', e.target.value || undefined)}>
          <option value="">All groups</option>
          {groups.data?.items.map((g) => (
            <option key={g.id} value={g.id}>
              {g.displayName ?? g.id}
            </option>
          ))}
        </SelectField>
      </form>
      <div aria-live="polite">
        {users.data ? (
          <p className="mb-2 text-sm text-slate-700 dark:text-slate-200" data-testid="users-total">
            {users.data.total === 1 ? '1 user' : `${users.data.total.toLocaleString('en-US')} users`}
            {q || status || groupId ? (users.data.total === 1 ? ' matches the filter' : ' match the filter') : ''}
            {users.data.total > users.data.items.length ? `; showing ${users.data.items.length} per page` : ''}.
          </p>
        ) : null}
        {users.isPending ? (
          <Loading />
        ) : users.isError ? (
          <Alert tone="error">{users.error.message}</Alert>
        ) : users.data.items.length === 0 ? (
          <p className="text-sm text-slate-600">No users match.</p>
        ) : (
          <DataTable caption="Users, by display name" minWidth="min-w-[40rem]" framed>
            <thead>
              <tr className="border-b border-slate-300 text-left">
                <th scope="col" className="px-3 py-2">
                  Name
                </th>
                <th scope="col" className="px-3 py-2">
                  Email / user name
                </th>
                <th scope="col" className="px-3 py-2">
                  Status
                </th>
                <th scope="col" className="px-3 py-2">
                  Last sign-in
                </th>
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((u) => (
                <tr key={u.id} className="border-b border-slate-100">
                  <td className="px-3 py-2">
                    <Link className="font-medium text-brand-700 underline" href={`/users/${encodeURIComponent(u.id)}`}>
                      {u.displayName ?? u.username ?? u.objectId}
                    </Link>
                    {u.guest ? (
                      <span className="ml-2">
                        <Badge tone="brand">guest</Badge>
                      </span>
                    ) : null}
                    {u.groupsOverage ? (
                      <span className="ml-2">
                        <Badge tone="warn">groups overage</Badge>
                      </span>
                    ) : null}
                  </td>
                  <td className="px-3 py-2">{u.email ?? u.username ?? '—'}</td>
                  <td className="px-3 py-2">
                    <Badge tone={u.status === 'active' ? 'good' : 'bad'}>{u.status}</Badge>
                  </td>
                  <td className="whitespace-nowrap px-3 py-2">
                    <Time value={u.lastLoginAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </DataTable>
        )}
      </div>
      <Pager
        page={pages.page}
        hasPrevious={pages.hasPrevious}
        nextCursor={users.data?.nextCursor ?? null}
        onPrevious={pages.previous}
        onNext={pages.next}
        busy={users.isFetching}
      />
    </>
  );
}
