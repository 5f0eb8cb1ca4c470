'use client';
import { Fragment } from 'react';
import { groupsWithOther } from '@/lib/settings-form';
import { Alert } from '@/components/ui/alert';
import { Loading } from '@/components/ui/loading';
import { PageHeader } from '@/components/ui/section';
import { Time } from '@/components/ui/time';
import { useConsoleSession } from '@/components/console/console-context';
import { CheckConfiguration } from './check-configuration';
import { GraphSection } from './graph-section';
import { MetaPreview } from './meta-preview';
import { SaveBar } from './save-bar';
import { SettingsFieldGroup } from './settings-form';
import { UnsavedChangesGuard } from './unsaved-changes-guard';
import { useSettingsDraft } from './use-settings-draft';
import { VersionHistory } from './version-history';

/** SSO settings: every field, inline errors, live /sso-meta preview, save/revert, check, history. */
export function SettingsPage() {
  const { isAdmin } = useConsoleSession();
  const state = useSettingsDraft();
  const { current, draft, dirtyKeys } = state;
  if (current.isPending) return <Loading />;
  if (current.isError) return <Alert tone="error">{current.error.message}</Alert>;
  const data = current.data;
  return (
    <>
      <PageHeader
        title="SSO settings"
        description={
          <>
            Version {data.version}
            {data.updatedAt ? (
              <>
                , saved <Time value={data.updatedAt} /> by {data.updatedBy}
              </>
            ) : (
              ' (defaults, never saved)'
            )}
            .{isAdmin ? '' : ' You can read these settings; only admins change them.'}
          </>
        }
      />
      <form aria-label="SSO settings" onSubmit={(e) => e.preventDefault()} className="grid grid-cols-1 gap-6 xl:grid-cols-[minmax(0,1fr)_24rem]">
        <div className="space-y-6">
          {groupsWithOther()
            .map((g) => ({ ...g, keys: g.keys.filter((k) => k !== 'graphHost') }))
            .filter((g) => g.keys.length > 0)
            .map((g) => (
              <Fragment key={g.id}>
                <SettingsFieldGroup id={g.id} title={g.title} description={g.description} keys={g.keys} state={state} readOnly={!isAdmin} />
                {/* graphHost lives with the credential, after the group rules that overage concerns */}
                {g.id === 'groups' ? <GraphSection state={state} readOnly={!isAdmin} /> : null}
              </Fragment>
            ))}
        </div>
        {/* sticky beside the fields, but never taller than the room above the save bar, so that nothing in it hides behind the bar */}
        <div className="space-y-6 xl:sticky xl:top-16 xl:max-h-[calc(100vh-12rem)] xl:self-start xl:overflow-y-auto xl:pb-2">
          <MetaPreview draftMeta={draft?.meta ?? null} liveMeta={data.meta} valid={(draft?.issues.length ?? 0) === 0} dirty={dirtyKeys.length > 0} />
          {isAdmin ? <CheckConfiguration patch={draft?.patch ?? {}} valid={(draft?.issues.length ?? 0) === 0} /> : null}
        </div>
        {isAdmin ? (
          <div className="xl:col-span-2">
            <SaveBar state={state} />
          </div>
        ) : null}
      </form>
      {isAdmin ? <UnsavedChangesGuard dirty={dirtyKeys.length > 0} count={dirtyKeys.length} /> : null}
      <div className="mt-8">
        <VersionHistory onRestored={state.discard} />
      </div>
    </>
  );
}
