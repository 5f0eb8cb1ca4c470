'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { SettingsKey } from '@/shared/settings/fields';
import { computeDraft, formValuesOf, type FormValue, type FormValues } from '@/lib/settings-form';
import { issuesOf } from '@/lib/trpc-errors';
import { useTRPC } from '@/lib/trpc';

/**
 * The settings being edited: the stored version (`settings.get`), the unsaved edits, the
 * draft checked with the server's schemas, and Save (`settings.update`) / Revert (discard).
 */
export function useSettingsDraft() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const current = useQuery(trpc.settings.get.queryOptions());
  const [edits, setEdits] = useState<Partial<FormValues>>({});
  const [saved, setSaved] = useState<number | null>(null);

  const stored = current.data?.document ?? null;
  const initial = useMemo(() => (stored ? formValuesOf(stored) : null), [stored]);
  const form = useMemo(() => (initial ? ({ ...initial, ...edits } as FormValues) : null), [initial, edits]);
  const draft = useMemo(() => (stored && initial && form ? computeDraft(stored, initial, form) : null), [stored, initial, form]);

  const save = useMutation(
    trpc.settings.update.mutationOptions({
      onSuccess: async (version) => {
        setEdits({});
        setSaved(version.version);
        await queryClient.invalidateQueries({ queryKey: trpc.settings.pathKey() });
      },
    }),
  );

  const dirtyKeys = draft ? (Object.keys(draft.patch) as SettingsKey[]) : [];
  const serverIssues = issuesOf(save.error);
  const issuesByField = new Map<string, string>();
  for (const issue of [...serverIssues, ...(draft?.issues ?? [])])
    if (!issuesByField.has(issue.field)) issuesByField.set(issue.field, issue.text ?? issue.message);

  return {
    current,
    form,
    draft,
    dirtyKeys,
    issuesByField,
    saved,
    save,
    setValue: (key: SettingsKey, value: FormValue) => {
      setSaved(null);
      save.reset();
      setEdits((e) => ({ ...e, [key]: value }));
    },
    submit: (comment: string) => {
      if (!draft || draft.issues.length > 0 || dirtyKeys.length === 0) return;
      save.mutate({ patch: draft.patch, comment: comment.trim() || undefined });
    },
    discard: () => {
      setEdits({});
      save.reset();
    },
  };
}

export type SettingsDraftState = ReturnType<typeof useSettingsDraft>;
