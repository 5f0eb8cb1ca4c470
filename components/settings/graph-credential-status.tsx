'use client';
import { useState, type ReactNode } from 'react';
import type { GraphCredentialStatus } from '@/shared/settings/graph-credential';
import { Badge } from '@/components/ui/badge';
import { Time } from '@/components/ui/time';

/** A certificate this close to its expiry gets a warning: Entra refuses the assertion from the day it expires. */
const EXPIRY_WARNING_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * What is known about the write-only credential: whether each kind is set, when and by whom,
 * a certificate's thumbprint and expiry, and which one is used. Never a value (the server
 * never sends one). `actions(kind)` renders the admin's controls beside each line.
 */
export function GraphCredentialStatusView({
  status,
  actions,
}: {
  status: GraphCredentialStatus;
  actions?: (kind: 'graphClientSecret' | 'graphCertificate') => ReactNode;
}) {
  // when the page was opened: "expired" / "expires soon" are days apart, not seconds
  const [now] = useState(() => Date.now());
  const { clientSecret, certificate, active } = status;
  return (
    <div data-testid="graph-credential-status" aria-live="polite" className="space-y-2 text-sm">
      {active === null ? (
        <p>
          <Badge tone="warn">not set</Badge>{' '}
          <span className="text-slate-800">
            No credential: the groups of users in more than 200 groups (groups overage) cannot be read from Microsoft Graph, and where groups matter their
            sign-ins are refused with <code>groups_unresolved</code>.
          </span>
        </p>
      ) : null}
      {certificate.set ? (
        <Line
          badge={
            <>
              <Badge tone={active === 'certificate' ? 'good' : 'neutral'}>certificate{active === 'certificate' ? ', in use' : ''}</Badge>
              {certificate.expiresAt !== null && certificate.expiresAt <= now ? <Badge tone="bad">expired</Badge> : null}
              {certificate.expiresAt !== null && certificate.expiresAt > now && certificate.expiresAt - now < EXPIRY_WARNING_MS ? (
                <Badge tone="warn">expires soon</Badge>
              ) : null}
            </>
          }
          action={actions?.('graphCertificate')}
        >
          Certificate <code className="select-all break-all font-mono text-xs">{certificate.thumbprint ?? '(no thumbprint)'}</code> (SHA-256 thumbprint)
          expiring <Time value={certificate.expiresAt} seconds={false} />
          {certificate.subject ? <>, subject {certificate.subject}</> : null}; set <Time value={certificate.setAt} seconds={false} />
          {certificate.setBy ? <> by {certificate.setBy}</> : null}.
        </Line>
      ) : null}
      {clientSecret.set ? (
        <Line
          badge={<Badge tone={active === 'client_secret' ? 'good' : 'neutral'}>client secret{active === 'client_secret' ? ', in use' : ''}</Badge>}
          action={actions?.('graphClientSecret')}
        >
          Client secret set on <Time value={clientSecret.setAt} seconds={false} />
          {clientSecret.setBy ? <> by {clientSecret.setBy}</> : null}.{active === 'certificate' ? ' Not used while a certificate is set.' : null}
        </Line>
      ) : null}
    </div>
  );
}

function Line({ badge, action, children }: { badge: ReactNode; action?: ReactNode; children: ReactNode }) {
  return (
    <div className="flex flex-wrap items-start justify-between gap-2 rounded-md border border-slate-200 px-3 py-2">
      <p className="min-w-0 flex-1 break-words text-slate-800">
        <span className="mr-1 inline-flex flex-wrap gap-1 align-middle">{badge}</span> {children}
      </p>
      {action ? <div className="shrink-0">{action}</div> : null}
    </div>
  );
}
