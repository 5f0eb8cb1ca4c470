'use client';
import { useState } from 'react';
import { settingsFields, type SettingsKey } from '@/lib/settings/fields';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import type { SettingsDraftState } from './use-settings-draft';

/** Save (with an optional comment) and Revert for admins; the outcome is announced. */
export function SaveBar({ state }: { state: SettingsDraftState }) {
  const [comment, setComment] = useState('');
  const { dirtyKeys, draft, save, saved, submit, discard, issuesByField } = state;
  const dirty = dirtyKeys.length > 0;
  const blocked = (draft?.issues.length ?? 0) > 0;
  return (
    <div className={`${dirty ? 'sticky bottom-0 z-20 shadow-[0_-2px_6px_rgba(0,0,0,0.05)]' : ''} -mx-4 border-t border-slate-200 bg-white/95 px-4 py-3 backdrop-blur sm:-mx-6 sm:px-6 lg:-mx-8 lg:px-8`}>
      <div className="flex flex-wrap items-end gap-3">
        <p className="min-w-[12rem] flex-1 text-sm text-slate-700">
          {dirty ? (
            <>
              <strong>{dirtyKeys.length}</strong> unsaved {dirtyKeys.length === 1 ? 'change' : 'changes'}:{' '}
              {dirtyKeys.map((k: SettingsKey) => settingsFields[k].label).join(', ')}
            </>
          ) : (
            'No unsaved changes.'
          )}
        </p>
        <div className="w-full sm:w-72">
          <TextField label="Comment (optional)" value={comment} maxLength={500} onChange={(e) => setComment(e.target.value)} placeholder="Why this change" />
        </div>
        <Button
          variant="primary"
          busy={save.isPending}
          disabled={!dirty || blocked}
          onClick={() => {
            submit(comment);
            setComment('');
          }}
        >
          Save
        </Button>
        <Button disabled={!dirty} onClick={discard}>
          Revert
        </Button>
      </div>
      <div aria-live="polite" className="mt-2 empty:mt-0">
        {saved !== null && !dirty ? <Alert tone="success">Saved as version {saved}. /sso-meta publishes it now.</Alert> : null}
        {dirty && blocked ? <p className="text-sm text-red-700">Fix the {issuesByField.size === 1 ? 'error' : `${issuesByField.size} errors`} above before saving.</p> : null}
        {save.isError ? <Alert tone="error" title="Not saved.">{save.error.message}</Alert> : null}
      </div>
    </div>
  );
}
