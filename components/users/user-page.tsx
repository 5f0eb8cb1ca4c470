'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { signInMethodLabel, primarySignInMethod } from '@/shared/sign-in-methods';
import { useTRPC, type RouterOutputs } from '@/lib/trpc';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { CopyButton } from '@/components/ui/copy-button';
import { Loading } from '@/components/ui/loading';
import { PageHeader, Section } from '@/components/ui/section';
import { Time } from '@/components/ui/time';
import { AdminOnly } from '@/components/console/console-context';
import { ClaimsTable } from '@/components/doctor/claims-table';
import { SignInTable } from '@/components/overview/sign-in-table';
import { GroupsSourceNote } from './groups-source';
import { UserStatusControl } from './user-status-control';

type UserDetail = RouterOutputs['users']['get'];

/** One user: profile, groups, active sessions, last sign-ins, claim snapshot; admins disable/enable. */
export function UserPage({ id }: { id: string }) {
  const trpc = useTRPC();
  const user = useQuery(trpc.users.get.queryOptions({ id }));
  if (user.isPending) return <Loading />;
  if (user.isError) {
    return (
      <>
        <Alert tone="error">{user.error.message}</Alert>
        <p className="mt-4 text-sm">
          <Link className="text-brand-700 underline" href="/users">
            Back to users
          </Link>
        </p>
      </>
    );
  }
  const u = user.data;
  const name = u.displayName ?? u.username ?? u.objectId;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link className="text-brand-700 underline" href="/users">
          ← Users
        </Link>
      </p>
      <PageHeader
        title={name}
        description={
          <>
            {u.email ?? u.username ?? ''} <Badge tone={u.status === 'active' ? 'good' : 'bad'}>{u.status}</Badge>
            {u.guest ? (
              <>
                {' '}
                <Badge tone="brand">guest (B2B)</Badge>
              </>
            ) : null}
            {u.isYou ? (
              <>
                {' '}
                <Badge tone="warn">this is you</Badge>
              </>
            ) : null}
          </>
        }
        actions={
          <AdminOnly>
            <UserStatusControl id={u.id} name={name} status={u.status} isYou={u.isYou} />
          </AdminOnly>
        }
      />
      <div className="space-y-6">
        <div className="grid grid-cols-1 gap-6 xl:grid-cols-2">
          <Profile u={u} />
          <Groups u={u} />
        </div>
        <Section id="sessions" title={`Active sessions (${u.sessions.length})`}>
          {u.sessions.length === 0 ? (
            <p className="text-sm text-slate-600">No active sessions.</p>
          ) : (
            <ul className="divide-y divide-slate-100 text-sm">
              {u.sessions.map((s) => (
                <li key={s.id} className="py-2">
                  Since <Time value={s.createdAt} />, ends <Time value={s.expiresAt} /> · {s.ip ?? 'unknown IP'} ·{' '}
                  <span className="text-slate-600">{s.userAgent ?? 'unknown client'}</span>
                </li>
              ))}
            </ul>
          )}
        </Section>
        <Section
          id="sign-ins"
          title="Last sign-ins"
          actions={
            <Link className="text-sm text-brand-700 underline" href={`/logins?userId=${encodeURIComponent(u.id)}`}>
              Full sign-in history
            </Link>
          }
        >
          <SignInTable rows={u.signIns} showUser={false} caption={`Last sign-in attempts of ${name}`} />
        </Section>
        <p className="text-sm">
          <Link className="text-brand-700 underline" href={`/changes?targetType=user&targetId=${encodeURIComponent(u.id)}`}>
            Changes made to this user
          </Link>
        </p>
        <Section id="claims" title="Claim snapshot (last accepted token)">
          {u.claims ? <ClaimsTable claims={u.claims} caption="Claims of the last accepted token" /> : <p className="text-sm text-slate-600">No snapshot.</p>}
        </Section>
      </div>
    </>
  );
}

function Profile({ u }: { u: UserDetail }) {
  const rows: [string, React.ReactNode][] = [
    ['Display name', u.displayName ?? '—'],
    ['Email', u.email ?? '—'],
    ['User name', u.username ?? '—'],
    ['Tenant', <IdValue key="t" value={u.tenantId} what="tenant ID" />],
    ['Object ID', <IdValue key="o" value={u.objectId} what="object ID" />],
    ['Account', u.guest ? 'Guest (B2B): an account of another tenant or a personal Microsoft account' : 'Member of the tenant'],
    ['Last sign-in method', signInMethodLabel(primarySignInMethod(u.lastAuthMethods))],
    ['First seen', <Time key="c" value={u.createdAt} />],
    ['Last sign-in', <Time key="l" value={u.lastLoginAt} />],
  ];
  return (
    <Section id="profile" title="Profile">
      <dl className="grid grid-cols-1 gap-x-4 gap-y-2 text-sm sm:grid-cols-[10rem_1fr]">
        {rows.map(([k, v]) => (
          <div key={k} className="contents">
            <dt className="font-medium text-slate-600">{k}</dt>
            <dd className="break-all">{v}</dd>
          </div>
        ))}
      </dl>
    </Section>
  );
}

function IdValue({ value, what }: { value: string; what: string }) {
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <code className="select-all">{value}</code>
      <CopyButton value={value} label={`Copy the ${what}`} />
    </span>
  );
}

function Groups({ u }: { u: UserDetail }) {
  return (
    <Section id="groups" title={`Groups (${u.groups.length})`}>
      <div data-testid="groups-source" className="mb-3 text-sm">
        <p className="mb-1 font-medium text-slate-700">How the groups were decided at the last sign-in</p>
        <GroupsSourceNote source={u.groupsSource} none="Not recorded: no sign-in with group import since ice-sso began recording it." />
      </div>
      {u.groupsOverage ? (
        <div className="mb-3">
          <Alert tone="warning" title="Groups overage" live={false}>
            The last token had more than 200 groups, so it listed none, and they could not be confirmed. The groups below are those known from earlier sign-ins.
          </Alert>
        </div>
      ) : null}
      {u.groups.length === 0 ? (
        <p className="text-sm text-slate-600">No groups.</p>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm">
          {u.groups.map((g) => (
            <li key={g.id} className="py-1.5">
              <Link className="text-brand-700 underline" href={`/users?group=${g.id}`}>
                {g.name ?? <code>{g.id}</code>}
              </Link>
              {g.name ? <code className="ml-2 text-xs text-slate-500">{g.id}</code> : null}
              {g.assignmentGroup ? <span className="ml-2 text-xs text-slate-600">→ {g.assignmentGroup}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
