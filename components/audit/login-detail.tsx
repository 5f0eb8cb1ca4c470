'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useRef } from 'react';
import { signInMethodLabel } from '@/shared/sign-in-methods';
import { reasons, isReasonCode } from '@/shared/login-reasons';
import { useTRPC, type RouterOutputs } from '@/lib/trpc';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Loading } from '@/components/ui/loading';
import { QueryError } from '@/components/ui/query-error';
import { Time } from '@/components/ui/time';
import { OutcomeBadge } from '@/components/overview/sign-in-table';
import { GroupsSourceNote } from '@/components/users/groups-source';

/** Every recorded field of one sign-in attempt. Focus moves here when it opens. */
export function LoginDetail({ id, onClose }: { id: number; onClose: () => void }) {
  const trpc = useTRPC();
  const event = useQuery(trpc.logins.get.queryOptions({ id }));
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [id]);
  const e = event.data;
  return (
    <section aria-labelledby="login-detail-heading" className="rounded-lg border border-brand-100 bg-white shadow-sm">
      <div className="flex items-center justify-between border-b border-slate-200 px-4 py-3">
        <h2 id="login-detail-heading" ref={heading} tabIndex={-1} className="text-base font-semibold">
          Sign-in attempt {id}
        </h2>
        <Button size="sm" onClick={onClose}>
          Close
        </Button>
      </div>
      <div className="p-4">
        {event.isPending ? (
          <Loading />
        ) : event.isError ? (
          <QueryError error={event.error} onRetry={() => void event.refetch()} />
        ) : e ? (
          <>
            {e.reason ? (
              <div className="mb-3 space-y-3">
                <Alert tone="error" live={false} title={`${e.reasonLabel} (${e.reason})`}>
                  {e.refusal?.guidance ? (
                    <p>
                      <span className="font-semibold">What to check: </span>
                      {e.refusal.guidance}
                    </p>
                  ) : null}
                  {isReasonCode(e.reason) ? <p className="mt-1 text-xs">The client was told: “{reasons[e.reason].message}”</p> : null}
                </Alert>
                {e.refusal?.groupRule ? <GroupRule rule={e.refusal.groupRule} /> : null}
              </div>
            ) : null}
            <dl className="grid grid-cols-1 gap-x-4 gap-y-1.5 text-sm sm:grid-cols-[9rem_1fr]">
              {(
                [
                  ['Time', <Time key="t" value={e.ts} />],
                  [
                    'Outcome',
                    <span key="o">
                      <OutcomeBadge outcome={e.outcome} /> HTTP {e.status}
                    </span>,
                  ],
                  [
                    'User',
                    e.userId ? (
                      <Link key="u" className="text-brand-700 underline" href={`/users/${encodeURIComponent(e.userId)}`}>
                        {e.displayName ?? e.username ?? e.userId}
                      </Link>
                    ) : (
                      (e.displayName ?? e.username ?? '—')
                    ),
                  ],
                  ['User name', e.username ?? '—'],
                  ['Tenant', <code key="tn">{e.tenantId ?? '—'}</code>],
                  ['Object ID', <code key="oid">{e.objectId ?? '—'}</code>],
                  ['Client app', <code key="c">{e.clientAppId ?? '—'}</code>],
                  ['Token version', e.tokenVersion ?? '—'],
                  ['Sign-in method', `${signInMethodLabel(e.signInMethod)}${e.amr.length ? ` (amr: ${e.amr.join(', ')})` : ''}`],
                  ['Token ID (uti)', <code key="uti">{e.uti ?? '—'}</code>],
                  [
                    'Groups decided by',
                    <span key="gs" data-testid="login-groups-source" className="break-normal">
                      <GroupsSourceNote
                        source={e.groupsSource}
                        none="Not recorded: groups did not matter for this attempt, or it stopped before they were read."
                      />
                    </span>,
                  ],
                  ['IP address', <code key="ip">{e.ip ?? '—'}</code>],
                  ['User agent', e.userAgent ?? '—'],
                ] as [string, React.ReactNode][]
              ).map(([k, v]) => (
                <div key={k} className="contents">
                  <dt className="font-medium text-slate-600">{k}</dt>
                  <dd className="break-all">{v}</dd>
                </div>
              ))}
            </dl>
            {e.userId ? (
              <p className="mt-3 text-sm">
                <Link className="text-brand-700 underline" href={`/logins?userId=${encodeURIComponent(e.userId)}`}>
                  Every attempt of this user
                </Link>
              </p>
            ) : null}
          </>
        ) : null}
      </div>
    </section>
  );
}

type GroupRuleContext = NonNullable<NonNullable<RouterOutputs['logins']['get']['refusal']>['groupRule']>;

function GroupList({ groups, label, empty }: { groups: { id: string; name: string | null }[]; label: string; empty: string }) {
  if (groups.length === 0) return <p className="text-sm text-slate-700">{empty}</p>;
  return (
    <ul aria-label={label} className="space-y-1 text-sm">
      {groups.map((g) => (
        <li key={g.id}>
          {g.name ? <span className="font-medium">{g.name} </span> : <span className="text-slate-700">(unnamed) </span>}
          <code className="break-all text-xs text-slate-600">{g.id}</code>
        </li>
      ))}
    </ul>
  );
}

/** group_required: the groups the settings required at the time against the groups the user holds. */
function GroupRule({ rule }: { rule: GroupRuleContext }) {
  return (
    <div className="grid grid-cols-1 gap-3 rounded-md border border-slate-200 p-3 sm:grid-cols-2">
      <div>
        <h3 className="mb-1 text-sm font-semibold">Groups required</h3>
        <p className="mb-1 text-xs text-slate-600">
          {rule.settingsVersion !== null
            ? `Settings version ${rule.settingsVersion}, in force at the time: any one of these.`
            : 'No settings version was in force.'}
        </p>
        <GroupList groups={rule.required} label="Groups required" empty="None." />
      </div>
      <div>
        <h3 className="mb-1 text-sm font-semibold">Groups held</h3>
        <p className="mb-1 text-xs text-slate-600">As imported at the user’s last accepted sign-in.</p>
        {rule.held === null ? (
          <p className="text-sm text-slate-700">Unknown: this user never signed in successfully here.</p>
        ) : (
          <GroupList groups={rule.held} label="Groups held" empty="No groups on record." />
        )}
      </div>
    </div>
  );
}
