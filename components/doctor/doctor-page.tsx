'use client';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '@/lib/trpc';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { TextArea } from '@/components/ui/field';
import { PageHeader, Section } from '@/components/ui/section';
import { Verdict } from '@/components/ui/verdict';
import { ClaimsTable } from './claims-table';

/** Token doctor: paste a JWT, see it decoded and each validation rule's verdict with the fix. */
export function DoctorPage() {
  const trpc = useTRPC();
  const [token, setToken] = useState('');
  const diagnose = useMutation(trpc.doctor.diagnose.mutationOptions());
  const result = diagnose.data;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (token.trim()) diagnose.mutate({ token: token.trim() });
  }

  return (
    <>
      <PageHeader
        title="Token doctor"
        description="Paste an access token from a failing client to see how this server judges it against the current settings."
      />
      <Alert tone="info" live={false}>
        Nothing is recorded: the token is not stored, not logged, and its replay protection is not used up.
      </Alert>
      <form onSubmit={submit} className="mt-4 space-y-3" aria-label="Diagnose a token">
        <TextArea
          label="Token (JWT)"
          rows={5}
          value={token}
          onChange={(e) => setToken(e.target.value)}
          spellCheck={false}
          placeholder="eyJ0eXAiOiJKV1Qi…"
          help='With or without the "Bearer " prefix.'
        />
        <div className="flex gap-2">
          <Button type="submit" variant="primary" busy={diagnose.isPending} disabled={!token.trim()}>
            Diagnose
          </Button>
          <Button
            onClick={() => {
              setToken('');
              diagnose.reset();
            }}
          >
            Clear
          </Button>
        </div>
      </form>
      <div aria-live="polite" className="mt-6 space-y-6">
        {diagnose.isError ? <Alert tone="error">{diagnose.error.message}</Alert> : null}
        {result ? (
          <>
            <Alert
              tone={result.accepted ? 'success' : 'error'}
              title={result.accepted ? 'Verdict: this token would be accepted.' : 'Verdict: this token would be refused.'}
            >
              {result.firstFailure ? (
                <p>
                  {result.firstFailure.message} Reason code: <code className="font-semibold">{result.firstFailure.reason}</code>
                </p>
              ) : null}
              <p className="mt-1">
                Looks like: {result.looksLike}
                {result.tokenVersion ? ` · token version ${result.tokenVersion}` : ''}
              </p>
            </Alert>
            <Section id="rules" title="Rules">
              <ol className="divide-y divide-slate-100" aria-label="Validation rules">
                {result.steps.map((step, i) => (
                  <li key={`${step.rule}-${i}`} className="flex gap-3 py-2 text-sm">
                    <Verdict ok={step.ok} />
                    <div className="min-w-0">
                      <p className="font-medium">
                        {step.label} {step.reason ? <Badge tone="bad">{step.reason}</Badge> : null}
                      </p>
                      <p className="break-words text-slate-700">{step.detail}</p>
                      {step.fix ? (
                        <p className="mt-1 text-slate-900">
                          <span className="font-semibold">Fix: </span>
                          {step.fix}
                        </p>
                      ) : null}
                    </div>
                  </li>
                ))}
              </ol>
            </Section>
            {result.header ? (
              <Section id="header" title="Header">
                <ClaimsTable claims={result.header} caption="Token header" />
              </Section>
            ) : null}
            {result.payload ? (
              <Section id="claims" title="Claims">
                <ClaimsTable claims={result.payload} caption="Token claims" />
              </Section>
            ) : null}
          </>
        ) : null}
      </div>
    </>
  );
}
