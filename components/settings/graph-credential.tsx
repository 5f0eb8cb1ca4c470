'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/lib/trpc';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { TextArea, TextField } from '@/components/ui/field';
import { Loading } from '@/components/ui/loading';
import { Section } from '@/components/ui/section';
import { Time } from '@/components/ui/time';
import { Verdict } from '@/components/ui/verdict';

/**
 * The write-only Microsoft Graph credential: whether a secret or a certificate is set (never
 * its value), set / replace / clear, and "Test" (an app token and one Graph call through the
 * server). Values typed here are sent once and the fields emptied.
 */
export function GraphCredentialSection({ isAdmin, patch }: { isAdmin: boolean; patch: Record<string, unknown> }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.settings.graphCredential.get.queryOptions());
  const [secret, setSecret] = useState('');
  const [pem, setPem] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.settings.pathKey() });
  const saveSecret = useMutation(trpc.settings.graphCredential.setSecret.mutationOptions({ onSuccess: () => (setSecret(''), refresh()) }));
  const saveCert = useMutation(trpc.settings.graphCredential.setCertificate.mutationOptions({ onSuccess: () => (setPem(''), refresh()) }));
  const clear = useMutation(trpc.settings.graphCredential.clear.mutationOptions({ onSuccess: () => refresh() }));
  const test = useMutation(trpc.settings.check.mutationOptions());
  const failed = saveSecret.error ?? saveCert.error ?? clear.error;
  const graphSteps = test.data?.filter((s) => s.id.startsWith('graph_'));

  return (
    <Section id="graph" title="Microsoft Graph credential">
      <p className="text-sm text-slate-600 dark:text-slate-300">
        Resolves groups overage (users in more than 200 groups) with this server&apos;s own app-only token. Grant the app GroupMember.Read.All and User.Read.All
        as Application permissions with admin consent. Values are write-only: they are stored encrypted and never shown again.
      </p>
      {status.isPending ? <Loading /> : null}
      {status.isError ? <Alert tone="error">{status.error.message}</Alert> : null}
      {status.data ? (
        <dl className="mt-3 grid grid-cols-[10rem_1fr] gap-x-4 gap-y-2 text-sm" aria-label="Microsoft Graph credential status">
          <dt className="font-medium">Client secret</dt>
          <dd data-testid="graph-secret-status">
            {status.data.clientSecret.set ? (
              <>
                <Badge tone="good">set</Badge> <Time value={status.data.clientSecret.setAt} /> by {status.data.clientSecret.setBy}
              </>
            ) : (
              <Badge>not set</Badge>
            )}
          </dd>
          <dt className="font-medium">Certificate</dt>
          <dd data-testid="graph-certificate-status">
            {status.data.certificate.set ? (
              <>
                <Badge tone="good">set</Badge> SHA-256 thumbprint <code className="break-all">{status.data.certificate.thumbprint}</code>, expires{' '}
                <Time value={status.data.certificate.expiresAt} seconds={false} />
              </>
            ) : (
              <Badge>not set</Badge>
            )}
          </dd>
          <dt className="font-medium">In use</dt>
          <dd data-testid="graph-active">
            {status.data.active === 'certificate'
              ? 'The certificate (it wins over a secret).'
              : status.data.active === 'client_secret'
                ? 'The client secret.'
                : 'None: groups overage stays unresolved.'}
          </dd>
        </dl>
      ) : null}
      {isAdmin && status.data ? (
        <div className="mt-4 space-y-4">
          {failed ? <Alert tone="error">{failed.message}</Alert> : null}
          <div className="flex flex-wrap items-end gap-2">
            <div className="min-w-64 flex-1">
              <TextField
                label={status.data.clientSecret.set ? 'Replace the client secret' : 'Client secret value'}
                type="password"
                autoComplete="off"
                value={secret}
                onChange={(e) => setSecret(e.target.value)}
              />
            </div>
            <Button variant="primary" size="sm" disabled={!secret.trim()} busy={saveSecret.isPending} onClick={() => saveSecret.mutate({ secret })}>
              {status.data.clientSecret.set ? 'Replace secret' : 'Set secret'}
            </Button>
            {status.data.clientSecret.set ? (
              <Button variant="danger" size="sm" busy={clear.isPending} onClick={() => clear.mutate({ which: 'graphClientSecret' })}>
                Clear secret
              </Button>
            ) : null}
          </div>
          <div>
            <TextArea
              label={status.data.certificate.set ? 'Replace the certificate' : 'Certificate (PEM private key and certificate)'}
              help="Paste the unencrypted PEM private key followed by the certificate. Upload the certificate's public part to the app registration."
              rows={4}
              spellCheck={false}
              value={pem}
              onChange={(e) => setPem(e.target.value)}
            />
            <div className="mt-2 flex gap-2">
              <Button variant="primary" size="sm" disabled={!pem.trim()} busy={saveCert.isPending} onClick={() => saveCert.mutate({ privateKeyPem: pem })}>
                {status.data.certificate.set ? 'Replace certificate' : 'Set certificate'}
              </Button>
              {status.data.certificate.set ? (
                <Button variant="danger" size="sm" busy={clear.isPending} onClick={() => clear.mutate({ which: 'graphCertificate' })}>
                  Clear certificate
                </Button>
              ) : null}
              <Button size="sm" busy={test.isPending} onClick={() => test.mutate({ patch })}>
                Test
              </Button>
            </div>
          </div>
          <div data-testid="graph-test-results" aria-live="polite">
            {test.isError ? <Alert tone="error">{test.error.message}</Alert> : null}
            {graphSteps ? (
              <ol className="space-y-2" aria-label="Microsoft Graph check steps">
                {graphSteps.map((step) => (
                  <li key={step.id} className="flex gap-3 text-sm">
                    <Verdict ok={step.ok} />
                    <div>
                      <p className="font-medium">{step.label}</p>
                      <p className="break-words text-slate-600">{step.detail}</p>
                    </div>
                  </li>
                ))}
              </ol>
            ) : null}
          </div>
        </div>
      ) : null}
    </Section>
  );
}
