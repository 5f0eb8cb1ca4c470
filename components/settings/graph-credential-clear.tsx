'use client';
import { useState } from 'react';
import type { GraphCredentialStatus } from '@/shared/settings/graph-credential';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { credentialErrorText, useGraphCredentialWrite } from './graph-credential-forms';

type Which = 'graphClientSecret' | 'graphCertificate';
const nameOf: Record<Which, string> = { graphClientSecret: 'client secret', graphCertificate: 'certificate' };

/** "Clear client secret" / "Clear certificate", after a confirmation that says what the sign-ins lose. */
export function GraphCredentialClear({ which, status }: { which: Which; status: GraphCredentialStatus }) {
  const [open, setOpen] = useState(false);
  const write = useGraphCredentialWrite();
  const name = nameOf[which];
  const other = which === 'graphClientSecret' ? status.certificate.set : status.clientSecret.set;
  const error = credentialErrorText(write.error)?.replace(/^Not saved/, 'Not cleared');
  return (
    <div className="space-y-2">
      <Button
        size="sm"
        variant="danger"
        onClick={() => {
          write.reset();
          setOpen(true);
        }}
      >
        Clear {name}
      </Button>
      {open ? (
        <ConfirmDialog
          open
          title={`Clear the ${name}?`}
          confirmLabel={`Clear ${name}`}
          tone="danger"
          busy={write.busy}
          onCancel={() => setOpen(false)}
          onConfirm={() => {
            void write.run((c) => c.settings.graphCredential.clear.mutate({ which }), `The ${name} is cleared.`).then((ok) => ok && setOpen(false));
          }}
        >
          <p className="mb-2">
            {other
              ? `ice-sso then uses the ${which === 'graphClientSecret' ? 'certificate' : 'client secret'} for Microsoft Graph.`
              : 'No credential is then left: the groups of users in more than 200 groups (groups overage) can no longer be read from Microsoft Graph, and where groups matter their sign-ins are refused with groups_unresolved.'}
          </p>
          <p>The change log records who cleared it. Remove it from the app registration in Entra too once nothing else uses it.</p>
          {error ? (
            <div className="mt-3">
              <Alert tone="error">{error}</Alert>
            </div>
          ) : null}
        </ConfirmDialog>
      ) : null}
      <div aria-live="polite">{write.done && !open ? <span className="sr-only">{write.done}</span> : null}</div>
    </div>
  );
}
