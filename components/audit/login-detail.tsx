'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useRef } from 'react';
import { signInMethodLabel } from '@/server/audit/sign-in-methods';
import { reasons, isReasonCode } from '@/server/entra/reasons';
import { useTRPC } from '@/lib/trpc';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Loading } from '@/components/ui/loading';
import { Time } from '@/components/ui/time';
import { OutcomeBadge } from '@/components/overview/sign-in-table';

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
        <Button size="sm" onClick={onClose}>Close</Button>
      </div>
      <div className="p-4">
        {event.isPending ? <Loading /> : event.isError ? <Alert tone="error">{event.error.message}</Alert> : e ? (
          <>
            {e.reason ? (
              <div className="mb-3">
                <Alert tone="error" live={false} title={`${e.reasonLabel} (${e.reason})`}>
                  {isReasonCode(e.reason) ? reasons[e.reason].message : null}
                </Alert>
              </div>
            ) : null}
            <dl className="grid grid-cols-1 gap-x-4 gap-y-1.5 text-sm sm:grid-cols-[9rem_1fr]">
              {(
                [
                  ['Time', <Time key="t" value={e.ts} />],
                  ['Outcome', <span key="o"><OutcomeBadge outcome={e.outcome} /> HTTP {e.status}</span>],
                  ['User', e.userId ? <Link key="u" className="text-brand-700 underline" href={`/users/${encodeURIComponent(e.userId)}`}>{e.displayName ?? e.username ?? e.userId}</Link> : (e.displayName ?? e.username ?? '—')],
                  ['User name', e.username ?? '—'],
                  ['Tenant', <code key="tn">{e.tenantId ?? '—'}</code>],
                  ['Object ID', <code key="oid">{e.objectId ?? '—'}</code>],
                  ['Client app', <code key="c">{e.clientAppId ?? '—'}</code>],
                  ['Token version', e.tokenVersion ?? '—'],
                  ['Sign-in method', `${signInMethodLabel(e.signInMethod)}${e.amr.length ? ` (amr: ${e.amr.join(', ')})` : ''}`],
                  ['Token ID (uti)', <code key="uti">{e.uti ?? '—'}</code>],
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
                <Link className="text-brand-700 underline" href={`/logins?userId=${encodeURIComponent(e.userId)}`}>Every attempt of this user</Link>
              </p>
            ) : null}
          </>
        ) : null}
      </div>
    </section>
  );
}
