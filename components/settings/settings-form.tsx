'use client';
import type { SettingsKey } from '@/shared/settings/fields';
import { infoOf } from '@/lib/settings-form';
import { Section } from '@/components/ui/section';
import type { SettingsDraftState } from './use-settings-draft';
import { SettingsField } from './settings-field';

/** A titled group of settings fields bound to the draft. */
export function SettingsFieldGroup({
  id,
  title,
  description,
  keys,
  state,
  readOnly,
}: {
  id: string;
  title: string;
  description?: string;
  keys: SettingsKey[];
  state: SettingsDraftState;
  readOnly: boolean;
}) {
  const { form, draft, issuesByField, dirtyKeys, setValue } = state;
  if (!form || !draft) return null;
  return (
    <Section id={`settings-${id}`} title={title}>
      {description ? <p className="-mt-1 mb-4 text-sm text-slate-600">{description}</p> : null}
      <div className="grid grid-cols-1 gap-5 md:grid-cols-2">
        {keys.map((key) => (
          <div key={key} className={wide(key) ? 'min-w-0 md:col-span-2' : 'min-w-0'}>
            <SettingsField
              name={key}
              value={form[key]}
              onChange={(v) => setValue(key, v)}
              error={issuesByField.get(key) ?? null}
              derivedDefault={draft.defaults[key]}
              readOnly={readOnly}
              changed={dirtyKeys.includes(key)}
            />
          </div>
        ))}
      </div>
    </Section>
  );
}

/** URLs, GUIDs (36 characters), derived strings and ID lists take the whole row, so that no value is cut off. */
function wide(key: SettingsKey): boolean {
  const info = infoOf(key);
  return info.kind === 'url' || info.kind === 'guid' || info.kind === 'guidList' || (Boolean(info.derived) && info.kind === 'string');
}
