'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { settingsFields } from '@/shared/settings/fields';
import { changedKeys } from '@/lib/settings-form';
import { useTRPC, type RouterOutputs } from '@/lib/trpc';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Loading } from '@/components/ui/loading';
import { Section } from '@/components/ui/section';
import { Time } from '@/components/ui/time';
import { AdminOnly } from '@/components/console/console-context';
import { VersionDiff } from './version-diff';
import { DataTable } from '@/components/ui/data-table';

type Version = RouterOutputs['settings']['versions']['list']['items'][number];

/** Every saved version: author, time, comment; pick two to compare; admins restore one (as a new version). */
export function VersionHistory({ onRestored }: { onRestored: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [limit, setLimit] = useState(20);
  const versions = useQuery(trpc.settings.versions.list.queryOptions({ limit }));
  const [selected, setSelected] = useState<number[]>([]);
  const [restoring, setRestoring] = useState<Version | null>(null);
  const restore = useMutation(
    trpc.settings.revert.mutationOptions({
      onSuccess: async () => {
        setRestoring(null);
        onRestored();
        await queryClient.invalidateQueries({ queryKey: trpc.settings.pathKey() });
      },
    }),
  );

  if (versions.isPending)
    return (
      <Section id="history" title="Version history">
        <Loading />
      </Section>
    );
  if (versions.isError)
    return (
      <Section id="history" title="Version history">
        <Alert tone="error">{versions.error.message}</Alert>
      </Section>
    );
  const list = versions.data.items;
  const latest = list[0];
  const picked = selected
    .map((v) => list.find((x) => x.version === v))
    .filter((x): x is Version => Boolean(x))
    .sort((a, b) => a.version - b.version);

  function toggle(version: number) {
    setSelected((s) => (s.includes(version) ? s.filter((v) => v !== version) : [...s, version].slice(-2)));
  }

  return (
    <Section id="history" title="Version history">
      {list.length === 0 ? (
        <p className="text-sm text-slate-600">Nothing was saved yet: the server runs on the defaults.</p>
      ) : (
        <div>
          <DataTable caption="Saved settings versions, newest first. Select two to compare." minWidth="min-w-[40rem]">
            <thead>
              <tr className="border-b border-slate-300 text-left">
                <th scope="col" className="py-2 pr-2">
                  Compare
                </th>
                <th scope="col" className="py-2 pr-3">
                  Version
                </th>
                <th scope="col" className="py-2 pr-3">
                  Time
                </th>
                <th scope="col" className="py-2 pr-3">
                  Author
                </th>
                <th scope="col" className="py-2 pr-3">
                  Comment
                </th>
                <th scope="col" className="py-2 pr-3">
                  Changed
                </th>
                <th scope="col" className="py-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((v, i) => {
                const previous = list[i + 1];
                const changed = previous ? changedKeys(previous.document, v.document) : [];
                return (
                  <tr key={v.version} className="border-b border-slate-100 align-top">
                    <td className="py-2 pr-2">
                      <input
                        type="checkbox"
                        className="h-4 w-4 accent-brand-600"
                        aria-label={`Compare version ${v.version}`}
                        checked={selected.includes(v.version)}
                        onChange={() => toggle(v.version)}
                      />
                    </td>
                    <td className="py-2 pr-3 font-medium">
                      {v.version} {v === latest ? <Badge tone="brand">current</Badge> : null}
                    </td>
                    <td className="py-2 pr-3 whitespace-nowrap">
                      <Time value={v.createdAt} />
                    </td>
                    <td className="py-2 pr-3">
                      {v.author} <span className="text-xs text-slate-500">({v.authorKind})</span>
                    </td>
                    <td className="py-2 pr-3">{v.comment ?? <span className="text-slate-400">—</span>}</td>
                    <td className="py-2 pr-3 text-xs text-slate-600">
                      {previous ? changed.map((k) => settingsFields[k].label).join(', ') || 'nothing' : 'first version'}
                    </td>
                    <td className="py-2 text-right">
                      {v !== latest ? (
                        <AdminOnly>
                          <Button size="sm" onClick={() => setRestoring(v)}>
                            Restore this version
                          </Button>
                        </AdminOnly>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </DataTable>
          {versions.data.nextCursor !== null && limit < 200 ? (
            <Button size="sm" className="mt-3" onClick={() => setLimit((l) => Math.min(200, l + 40))}>
              Show older versions
            </Button>
          ) : null}
        </div>
      )}
      <div aria-live="polite" className="mt-4">
        {picked.length === 2 ? (
          <VersionDiff
            left={picked[0]!.document}
            right={picked[1]!.document}
            leftLabel={`Version ${picked[0]!.version}`}
            rightLabel={`Version ${picked[1]!.version}`}
            caption={`Version ${picked[0]!.version} compared with version ${picked[1]!.version}`}
          />
        ) : list.length > 1 ? (
          <p className="text-sm text-slate-600">Select two versions to compare them side by side.</p>
        ) : null}
        {restore.isError ? <Alert tone="error">{restore.error.message}</Alert> : null}
      </div>
      {restoring && latest ? (
        <ConfirmDialog
          open
          title={`Restore version ${restoring.version}?`}
          confirmLabel={`Restore version ${restoring.version}`}
          busy={restore.isPending}
          onCancel={() => setRestoring(null)}
          onConfirm={() => restore.mutate({ version: restoring.version })}
        >
          <p className="mb-3">
            This saves a new version equal to version {restoring.version}. /sso-meta changes at once. Unsaved edits in the form are discarded.
          </p>
          <VersionDiff left={latest.document} right={restoring.document} leftLabel="Now" rightLabel={`Version ${restoring.version}`} caption="What changes" />
        </ConfirmDialog>
      ) : null}
    </Section>
  );
}
