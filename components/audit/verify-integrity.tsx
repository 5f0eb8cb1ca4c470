'use client';
import { useMutation } from '@tanstack/react-query';
import { useTRPC } from '@/lib/trpc';
import { Button } from '@/components/ui/button';
import { Verdict } from '@/components/ui/verdict';
import { Section } from '@/components/ui/section';

const streamNames: Record<string, string> = { login: 'Login history', change: 'Change log' };

/** Walks both hash chains (`audit.verify`) and reports the count verified or the first broken link. */
export function VerifyIntegrity() {
  const trpc = useTRPC();
  const verify = useMutation(trpc.audit.verify.mutationOptions());
  return (
    <div className="space-y-2">
      <Button size="sm" busy={verify.isPending} onClick={() => verify.mutate({})}>
        Verify integrity
      </Button>
      <div aria-live="polite">
        {verify.isError ? <p className="text-sm text-red-700">{verify.error.message}</p> : null}
        {verify.data ? (
          <ul className="space-y-1 text-sm" aria-label="Integrity of the audit trail">
            {verify.data.map((v) => (
              <li key={v.stream} className="flex gap-2">
                <Verdict ok={!v.firstBroken} />
                <span>
                  <strong>{streamNames[v.stream] ?? v.stream}:</strong>{' '}
                  {v.firstBroken
                    ? `broken at event ${v.firstBroken.id} (${v.firstBroken.reason}): ${v.firstBroken.message} ${v.verified} events verified before it.`
                    : `${v.verified.toLocaleString('en')} events verified, chain intact${v.checkpoint ? ` from the retention checkpoint after event ${v.checkpoint.purgedThroughId}` : ''}.`}
                </span>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </div>
  );
}

/** The "Tamper evidence" section at the foot of the login history and the change log. */
export function IntegritySection() {
  return (
    <div className="mt-8">
      <Section id="integrity" title="Tamper evidence">
        <p className="mb-3 text-sm text-slate-600">
          Every login and change event carries a hash chained to the one before it. Verifying walks both chains and reports the first broken link.
        </p>
        <VerifyIntegrity />
      </Section>
    </div>
  );
}
