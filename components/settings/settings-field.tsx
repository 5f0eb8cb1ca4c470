'use client';
import type { SettingsKey } from '@/lib/settings/fields';
import { infoOf, type FormValue } from '@/lib/settings-form';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { CheckboxField, SelectField, TextArea, TextField } from '@/components/ui/field';

/**
 * One settings field from its metadata (`settingsFields`): label, help, input by kind, the
 * inline error, and for derived fields a "derived"/"override" badge with "Reset to derived".
 */
export function SettingsField({
  name,
  value,
  onChange,
  error,
  derivedDefault,
  readOnly,
  changed,
}: {
  name: SettingsKey;
  value: FormValue;
  onChange: (value: FormValue) => void;
  error?: string | null;
  derivedDefault?: string | string[];
  readOnly: boolean;
  changed: boolean;
}) {
  const info = infoOf(name);
  const id = `setting-${name}`;
  const label = (
    <>
      {info.label}
      {changed ? <span className="ml-1 text-xs font-normal text-amber-700">(unsaved)</span> : null}
    </>
  );
  if (info.kind === 'boolean') {
    return <CheckboxField id={id} label={label} help={info.help} error={error} checked={value === true} disabled={readOnly} onChange={(e) => onChange(e.target.checked)} />;
  }
  const text = String(value);
  const fallback = Array.isArray(derivedDefault) ? derivedDefault.join(', ') : (derivedDefault ?? '');
  // a custom cloud has no derived authority host: it is simply required
  const derivable = Boolean(info.derived) && !(name === 'authorityHost' && !derivedDefault);
  const adornment = derivable ? (
    <span className="flex items-center gap-2">
      {text === '' ? <Badge tone="brand">derived</Badge> : <Badge tone="warn">override</Badge>}
      {text !== '' && !readOnly ? (
        <Button size="sm" variant="ghost" onClick={() => onChange('')} aria-label={`Reset ${info.label} to derived`}>
          Reset to derived
        </Button>
      ) : null}
    </span>
  ) : undefined;
  const placeholder = !derivable && info.derived ? 'required for a custom cloud' : info.derived ? fallback || 'derived once the tenant and client ID are set' : undefined;
  const common = { id, label, help: info.help, error, adornment, disabled: readOnly };
  if (info.kind === 'enum') {
    return (
      <SelectField {...common} value={text} onChange={(e) => onChange(e.target.value)}>
        {(info.values ?? []).map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </SelectField>
    );
  }
  if (info.kind === 'guidList') {
    return (
      <TextArea
        {...common}
        help={`${info.help} One object ID per line.`}
        rows={Math.min(6, Math.max(2, text.split('\n').length + 1))}
        value={text}
        placeholder={placeholder}
        spellCheck={false}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  return (
    <TextField
      {...common}
      type={info.kind === 'int' ? 'number' : 'text'}
      inputMode={info.kind === 'int' ? 'numeric' : undefined}
      min={info.min}
      max={info.max}
      value={text}
      placeholder={placeholder}
      spellCheck={false}
      autoComplete="off"
      className={info.kind === 'guid' || info.kind === 'url' || info.derived ? 'font-mono' : ''}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}
