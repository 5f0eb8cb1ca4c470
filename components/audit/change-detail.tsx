'use client';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTRPC } from '@/lib/trpc';
import { QueryError } from '@/components/ui/query-error';
import { Button } from '@/components/ui/button';
import { JsonBlock } from '@/components/ui/json-block';
import { Loading } from '@/components/ui/loading';
import { Time } from '@/components/ui/time';
import { ChangeDiffTable } from './change-diff-table';
import { ChangeTarget } from './change-target';
import { actionLabel, actorKindLabel } from './change-words';

/** One change: who, when, what, the diff, and the whole before/after as recorded. */
export function ChangeDetail({ id, onClose }: { id: number; onClose: () => void }) {
  const trpc = useTRPC();
  const change = useQuery(trpc.changes.get.queryOptions({ id }));
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [id]);
  const c = change.data;
  return (
    <section aria-labelledby="change-detail-heading" className="rounded-lg border border-brand-100 bg-white shadow-sm">
      <div className="flex items-center justify-between border-b border-slate-200 px-4 py-3">
        <h2 id="change-detail-heading" ref={heading} tabIndex={-1} className="text-base font-semibold">
          Change {id}
        </h2>
        <Button size="sm" onClick={onClose}>
          Close
        </Button>
      </div>
      <div className="space-y-4 p-4">
        {change.isPending ? (
          <Loading />
        ) : change.isError ? (
          <QueryError error={change.error} onRetry={() => void change.refetch()} />
        ) : c ? (
          <>
            <dl className="grid grid-cols-1 gap-x-4 gap-y-1.5 text-sm sm:grid-cols-[7rem_1fr]">
              <dt className="font-medium text-slate-600">Time</dt>
              <dd>
                <Time value={c.ts} />
              </dd>
              <dt className="font-medium text-slate-600">Actor</dt>
              <dd>
                {c.actor} <span className="text-xs text-slate-600">({actorKindLabel(c.actorKind)})</span>
              </dd>
              <dt className="font-medium text-slate-600">Action</dt>
              <dd>
                {actionLabel(c.action)} <code className="text-xs text-slate-600">{c.action}</code>
              </dd>
              <dt className="font-medium text-slate-600">Target</dt>
              <dd>
                <ChangeTarget type={c.targetType} id={c.targetId} name={c.targetName} target={c.target} />
              </dd>
              <dt className="font-medium text-slate-600">Comment</dt>
              <dd>{c.comment ?? '—'}</dd>
              <dt className="font-medium text-slate-600">IP address</dt>
              <dd>
                <code>{c.ip ?? '—'}</code>
              </dd>
            </dl>
            {c.summary ? (
              <p className="text-sm" data-testid="change-summary">
                {c.summary}
              </p>
            ) : null}
            {c.diff.length > 0 ? (
              <div>
                <h3 className="mb-1 text-sm font-semibold">What changed</h3>
                <ChangeDiffTable diff={c.diff} names={c.names} caption={`Values changed by change ${id}`} />
              </div>
            ) : null}
            {c.before !== null || c.after !== null ? (
              <details>
                <summary className="cursor-pointer text-sm font-semibold">Recorded data (as hashed into the audit chain)</summary>
                <div className="mt-2 grid grid-cols-1 gap-3">
                  {c.before !== null ? (
                    <div>
                      <h3 className="mb-1 text-sm font-semibold">Before</h3>
                      <JsonBlock value={c.before} label="Recorded value before the change" />
                    </div>
                  ) : null}
                  {c.after !== null ? (
                    <div>
                      <h3 className="mb-1 text-sm font-semibold">{c.before !== null ? 'After' : 'Data'}</h3>
                      <JsonBlock value={c.after} label="Recorded value after the change" />
                    </div>
                  ) : null}
                </div>
              </details>
            ) : null}
          </>
        ) : null}
      </div>
    </section>
  );
}
