'use client';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTRPC } from '@/lib/trpc';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Section } from '@/components/ui/section';
import { Verdict } from '@/components/ui/verdict';

/** "Check configuration": the server fetches the tenant's discovery document and keys for the draft and reports each step. */
export function CheckConfiguration({ patch, valid }: { patch: Record<string, unknown>; valid: boolean }) {
  const trpc = useTRPC();
  const check = useMutation(trpc.settings.check.mutationOptions());
  const allOk = check.data?.every((s) => s.ok);
  const results = useRef<HTMLDivElement>(null);
  // bring the outcome into view, stopping above the sticky save bar (scroll-mb)
  useEffect(() => {
    if (check.data || check.isError) results.current?.scrollIntoView({ block: 'nearest' });
  }, [check.data, check.isError]);
  return (
    <Section
      id="check"
      title="Check configuration"
      actions={
        <Button size="sm" busy={check.isPending} disabled={!valid} onClick={() => check.mutate({ patch })}>
          Check configuration
        </Button>
      }
    >
      <p className="text-sm text-slate-600 dark:text-slate-300">
        Fetches the tenant&apos;s discovery document and signing keys through this server, using the values in the form (saved or not).
      </p>
      <div ref={results} data-testid="check-results" aria-live="polite" className="mt-3 scroll-mt-20 scroll-mb-40 space-y-3">
        {check.isError ? <Alert tone="error">{check.error.message}</Alert> : null}
        {check.data ? (
          <>
            {/* the verdict first: with many steps the list can be taller than the space above the save bar */}
            <p className={`text-sm font-semibold ${allOk ? 'text-green-800' : 'text-red-800'}`}>
              {allOk ? 'Everything checks out.' : 'Something needs fixing: see the steps marked ✗.'}
            </p>
            <ol className="space-y-2" aria-label="Configuration check steps">
              {check.data.map((step) => (
                <li key={step.id} className="flex gap-3 text-sm">
                  <Verdict ok={step.ok} />
                  <div>
                    <p className="font-medium">{step.label}</p>
                    <p className="break-words text-slate-600">{step.detail}</p>
                  </div>
                </li>
              ))}
            </ol>
          </>
        ) : null}
      </div>
    </Section>
  );
}
