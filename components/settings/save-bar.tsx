'use client';
import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { settingsFields, type SettingsKey } from '@/shared/settings/fields';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import type { SettingsDraftState } from './use-settings-draft';

/** How long the "Saved as version N" toast stays (it also stays in the bar until the next edit). */
const TOAST_MS = 8000;

/**
 * Save (with an optional comment) and Revert for admins. While there are unsaved changes the
 * bar sticks to the bottom of the window, and lists every error as a link to its field; the
 * outcome of a save is announced where the admin is: in the bar and in a toast (role=status).
 */
export function SaveBar({ state }: { state: SettingsDraftState }) {
  const [comment, setComment] = useState('');
  const [toast, setToast] = useState<number | null>(null);
  const { dirtyKeys, draft, save, saved, submit, discard, issuesByField } = state;
  const dirty = dirtyKeys.length > 0;
  const blocked = (draft?.issues.length ?? 0) > 0;
  useEffect(() => {
    if (saved === null) return;
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the toast shows each save for TOAST_MS
    setToast(saved);
    const t = setTimeout(() => setToast(null), TOAST_MS);
    return () => clearTimeout(t);
  }, [saved]);
  return (
    <div
      data-testid="save-bar"
      className={`${dirty ? 'sticky bottom-0 z-20 shadow-[0_-2px_6px_rgba(0,0,0,0.05)]' : ''} -mx-4 border-t border-slate-200 bg-white/95 px-4 py-3 backdrop-blur sm:-mx-6 sm:px-6 lg:-mx-8 lg:px-8 dark:border-slate-700 dark:bg-slate-900/95`}
    >
      <div className="flex flex-wrap items-end gap-3">
        <p className="min-w-[12rem] flex-1 text-sm text-slate-700 dark:text-slate-200">
          {dirty ? (
            <>
              <strong>{dirtyKeys.length}</strong> unsaved {dirtyKeys.length === 1 ? 'change' : 'changes'}:{' '}
              {dirtyKeys.map((k: SettingsKey) => settingsFields[k].label).join(', ')}
            </>
          ) : saved !== null ? (
            <span className="font-medium text-green-800 dark:text-green-300">Saved as version {saved}.</span>
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
        {dirty && blocked ? <ErrorList issues={issuesByField} /> : null}
        {save.isError ? (
          <Alert tone="error" title="Not saved.">
            {save.error.message}
          </Alert>
        ) : null}
      </div>
      {/* in a portal: the bar's backdrop-filter would make it the containing block of a fixed child */}
      {toast !== null && !dirty
        ? createPortal(
            <div className="fixed inset-x-4 bottom-4 z-50 sm:left-auto sm:right-6 sm:w-96">
              <div
                role="status"
                className="flex items-start gap-3 rounded-md border border-green-300 bg-green-50 px-4 py-3 text-sm text-green-900 shadow-lg dark:border-green-700 dark:bg-green-950 dark:text-green-100"
              >
                <p className="flex-1">
                  <strong>Saved as version {toast}.</strong> /sso-meta publishes it now.
                </p>
                <button type="button" className="rounded px-1 text-green-900 underline dark:text-green-100" onClick={() => setToast(null)}>
                  Dismiss
                </button>
              </div>
            </div>,
            document.body,
          )
        : null}
    </div>
  );
}

/** Every error of the draft, each a link that takes the admin to its field. */
function ErrorList({ issues }: { issues: Map<string, string> }) {
  const entries = [...issues.entries()];
  return (
    <div className="text-sm text-red-800 dark:text-red-300">
      <p className="font-medium">Fix {entries.length === 1 ? 'this error' : `these ${entries.length} errors`} before saving:</p>
      <ul className="mt-1 max-h-28 list-disc space-y-0.5 overflow-y-auto pl-5">
        {entries.map(([field, text]) => (
          <li key={field}>
            <a
              className="underline"
              href={`#setting-${field}`}
              onClick={(e) => {
                const el = document.getElementById(`setting-${field}`);
                if (!el) return;
                e.preventDefault();
                el.scrollIntoView({ block: 'center' });
                el.focus({ preventScroll: true });
              }}
            >
              {text}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
