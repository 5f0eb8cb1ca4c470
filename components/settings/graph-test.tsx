'use client';
import { useMutation } from '@tanstack/react-query';
import { useTRPC } from '@/lib/trpc';
import { messageOf, reasonOf } from '@/lib/trpc-errors';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Verdict } from '@/components/ui/verdict';

/**
 * "Test Microsoft Graph": Check configuration's Graph steps (credential, app-only token, one
 * Graph call) for the form's values, saved or not, with the saved credential. Each step says
 * what it found and, when it failed, what to fix.
 */
export function GraphTest({ patch, valid }: { patch: Record<string, unknown>; valid: boolean }) {
  const trpc = useTRPC();
  const check = useMutation(trpc.settings.check.mutationOptions());
  const steps = check.data?.filter((s) => s.id.startsWith('graph_'));
  const allOk = steps !== undefined && steps.length > 0 && steps.every((s) => s.ok);
  const reason = check.isError ? reasonOf(check.error) : null;
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <Button busy={check.isPending} disabled={!valid} onClick={() => check.mutate({ patch })}>
          Test Microsoft Graph
        </Button>
        <p className="text-xs text-slate-700">
          Gets an app-only token with the saved credential and asks Graph once, using the form&apos;s values (saved or not).
        </p>
      </div>
      <div data-testid="graph-test-results" aria-live="polite" className="space-y-3">
        {check.isError ? (
          <Alert tone="error">
            {messageOf(check.error)}
            {reason ? ` (${reason})` : ''}
          </Alert>
        ) : null}
        {steps ? (
          <>
            <ol className="space-y-2" aria-label="Microsoft Graph test steps">
              {steps.map((step) => (
                <li key={step.id} className="flex gap-3 text-sm">
                  <Verdict ok={step.ok} />
                  <div className="min-w-0">
                    <p className="font-medium">{step.label}</p>
                    <p className="break-words text-slate-700">{step.detail}</p>
                  </div>
                </li>
              ))}
            </ol>
            <p className={`text-sm font-semibold ${allOk ? 'text-green-800' : 'text-red-800'}`}>
              {allOk ? 'Microsoft Graph answers: groups overage can be resolved.' : 'Something needs fixing: see the steps marked ✗.'}
            </p>
          </>
        ) : null}
      </div>
    </div>
  );
}
