'use client';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/lib/trpc';
import { Loading } from '@/components/ui/loading';
import { QueryError } from '@/components/ui/query-error';
import { Section } from '@/components/ui/section';
import { GraphCredentialClear } from './graph-credential-clear';
import { GraphCertificateForm, GraphSecretForm } from './graph-credential-forms';
import { GraphCredentialStatusView } from './graph-credential-status';
import { GraphTest } from './graph-test';
import { SettingsField } from './settings-field';
import type { SettingsDraftState } from './use-settings-draft';

/**
 * Settings' "Microsoft Graph": the Graph host (a derived field, saved with the form), the
 * write-only app credential (set, replace and clear each save at once, apart from the form),
 * and a test of both. Auditors read the host and the credential's status, nothing else.
 */
export function GraphSection({ state, readOnly }: { state: SettingsDraftState; readOnly: boolean }) {
  const trpc = useTRPC();
  const status = useQuery(trpc.settings.graphCredential.get.queryOptions());
  const { form, draft, issuesByField, dirtyKeys, setValue } = state;
  if (!form || !draft) return null;
  return (
    <Section id="settings-graph" title="Microsoft Graph">
      <p className="-mt-1 mb-4 text-sm text-slate-600">
        Above 200 groups Entra ID leaves the groups out of the token (groups overage). ice-sso then reads them from Microsoft Graph with an app-only token of
        its own: the ICE Server app needs a credential here and the Application permissions GroupMember.Read.All and User.Read.All, with admin consent.
      </p>
      <div className="space-y-5">
        <div className="min-w-0">
          <SettingsField
            name="graphHost"
            value={form.graphHost}
            onChange={(v) => setValue('graphHost', v)}
            error={issuesByField.get('graphHost') ?? null}
            derivedDefault={draft.defaults.graphHost}
            readOnly={readOnly}
            changed={dirtyKeys.includes('graphHost')}
          />
        </div>
        <div className="space-y-3">
          <h3 className="text-sm font-semibold">App credential</h3>
          {status.isPending ? (
            <Loading />
          ) : status.isError ? (
            <QueryError error={status.error} onRetry={() => void status.refetch()} />
          ) : (
            <>
              <GraphCredentialStatusView
                status={status.data}
                actions={readOnly ? undefined : (which) => <GraphCredentialClear which={which} status={status.data} />}
              />
              {readOnly ? (
                <p className="text-xs text-slate-700">Only admins set, replace or clear the credential. Its value is never shown to anyone.</p>
              ) : (
                <>
                  <p className="text-xs text-slate-700">
                    Set, replace and clear take effect at once (each is a change-log entry without the value); they are not part of Save below. When both are
                    set, the certificate is used.
                  </p>
                  <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
                    <GraphSecretForm replacing={status.data.clientSecret.set} />
                    <GraphCertificateForm replacing={status.data.certificate.set} />
                  </div>
                  <GraphTest patch={draft.patch} valid={draft.issues.length === 0} />
                </>
              )}
            </>
          )}
        </div>
      </div>
    </Section>
  );
}
