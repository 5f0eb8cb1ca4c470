'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC, type RouterOutputs } from '@/lib/trpc';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Loading } from '@/components/ui/loading';
import { PageHeader, Section } from '@/components/ui/section';
import { Time } from '@/components/ui/time';
import { LiveSsoMeta } from './live-sso-meta';
import { SignInCharts } from './sign-in-charts';
import { SignInTable } from './sign-in-table';

type Summary = RouterOutputs['overview']['summary'];

/** Overview: is SSO on, the live /sso-meta, counts, key health and the latest sign-ins. */
export function OverviewPage() {
  const trpc = useTRPC();
  const summary = useQuery(trpc.overview.summary.queryOptions(undefined, { refetchInterval: 30_000 }));
  return (
    <>
      <PageHeader title="Overview" description="Single sign-on with Microsoft Entra ID for the ICE Server." />
      {summary.isPending ? <Loading /> : summary.isError ? <Alert tone="error">{summary.error.message}</Alert> : <Body data={summary.data} />}
    </>
  );
}

function Body({ data }: { data: Summary }) {
  const { sso, counts } = data;
  const status = sso.enabled && sso.complete ? 'on' : sso.enabled ? 'incomplete' : 'off';
  return (
    <div className="space-y-6">
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <Stat label="SSO">
          <Badge tone={status === 'on' ? 'good' : 'warn'}>{status === 'on' ? 'On' : status === 'incomplete' ? 'On, but incomplete' : 'Off'}</Badge>
          <p className="mt-1 text-xs text-slate-600">
            Settings version {sso.version}
            {sso.updatedAt ? (
              <>
                {' '}
                · <Time value={sso.updatedAt} />
              </>
            ) : null}{' '}
            ·{' '}
            <Link className="text-brand-700 underline" href="/settings">
              settings
            </Link>
          </p>
        </Stat>
        <Stat label="Users">
          <p className="text-2xl font-semibold">{counts.users.total}</p>
          <p className="text-xs text-slate-600">
            {counts.users.active} active · {counts.users.disabled} disabled
          </p>
        </Stat>
        <Stat label="Groups">
          <p className="text-2xl font-semibold">{counts.groups}</p>
          <p className="text-xs text-slate-600">seen in tokens</p>
        </Stat>
        <Stat label="Sign-in attempts, last 24 hours">
          <p className="text-2xl font-semibold" data-testid="attempts-24h">
            {counts.signIns24h.attempts}
          </p>
          <p className="text-xs text-slate-700 dark:text-slate-300" data-testid="attempts-24h-split">
            {counts.signIns24h.accepted} accepted · {counts.signIns24h.refused} refused
            {counts.signIns24h.attempts > 0 ? ` (${((counts.signIns24h.refused / counts.signIns24h.attempts) * 100).toFixed(1)}% refused)` : ''}
          </p>
        </Stat>
      </div>
      <div className="grid grid-cols-1 gap-6 xl:grid-cols-2">
        <LiveSsoMeta />
        <KeyHealth health={data.keyHealth} />
      </div>
      <SignInCharts />
      <Section
        id="recent"
        title="Recent sign-ins"
        actions={
          <Link className="text-sm text-brand-700 underline" href="/logins">
            Login history
          </Link>
        }
      >
        <SignInTable rows={data.recentLogins} showUser caption="The latest sign-in attempts, newest first" />
      </Section>
    </div>
  );
}

function Stat({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 className="text-sm font-medium text-slate-600">{label}</h2>
      <div className="mt-1">{children}</div>
    </div>
  );
}

function KeyHealth({ health }: { health: Summary['keyHealth'] }) {
  return (
    <Section id="keys" title="Signing keys">
      {!health ? (
        <p className="text-sm text-slate-600">Not configured yet: set the tenant and client ID in the SSO settings.</p>
      ) : (
        <dl className="grid grid-cols-1 gap-x-4 gap-y-2 text-sm sm:grid-cols-[11rem_1fr]">
          <dt className="font-medium text-slate-600">Discovery document</dt>
          <dd className="break-all font-mono text-xs">{health.openIdConfUrl}</dd>
          <dt className="font-medium text-slate-600">Last discovery</dt>
          <dd>
            <Time value={health.lastDiscoveryAt} />
          </dd>
          <dt className="font-medium text-slate-600">Last key fetch</dt>
          <dd>
            <Time value={health.lastKeyFetchAt} /> {health.source ? <span className="text-xs text-slate-500">(from {health.source})</span> : null}
          </dd>
          <dt className="font-medium text-slate-600">Keys cached</dt>
          <dd>
            {health.keyIds.length === 0 ? (
              'none yet (fetched at the first sign-in)'
            ) : (
              <>
                {health.keyIds.length}: <span className="break-all font-mono text-xs">{health.keyIds.join(', ')}</span>
              </>
            )}
          </dd>
          <dt className="font-medium text-slate-600">Last error</dt>
          <dd>
            {health.lastError ? (
              <span className="text-red-700">
                {health.lastError} (<Time value={health.lastErrorAt} />)
              </span>
            ) : (
              'none'
            )}
          </dd>
        </dl>
      )}
    </Section>
  );
}
