'use client';
import type { SettingsKey } from '@/shared/settings/fields';
import { infoOf, type FormValue } from '@/lib/settings-form';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { CheckboxField, SelectField, TextArea, TextField } from '@/components/ui/field';
import { GroupIdsField } from './group-ids-field';

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
      {changed ? <span className="ml-1 text-xs font-normal text-amber-800 dark:text-amber-300">(unsaved)</span> : null}
    </>
  );
  if (info.kind === 'boolean' && !readOnly) {
    return <CheckboxField id={id} label={label} help={info.help} error={error} checked={value === true} onChange={(e) => onChange(e.target.checked)} />;
  }
  const text = String(value);
  const fallback = Array.isArray(derivedDefault) ? derivedDefault.join(', ') : (derivedDefault ?? '');
  // a custom cloud has no derived authority host or Graph host: they are simply required
  const derivable = Boolean(info.derived) && !((name === 'authorityHost' || name === 'graphHost') && !derivedDefault);
  const mono = info.kind === 'guid' || info.kind === 'url' || info.kind === 'guidList' || Boolean(info.derived);
  if (readOnly)
    return <ReadOnlyValue id={id} name={name} label={label} help={info.help} text={text} derived={derivable && text === '' ? fallback : null} mono={mono} />;
  if (groupKeys.has(name)) {
    return <GroupIdsField id={id} label={label} labelText={info.label} help={info.help} value={text} error={error} readOnly={false} onChange={onChange} />;
  }
  const adornment = derivable ? (
    <span className="flex items-center gap-2">
      {text === '' ? <Badge tone="brand">derived</Badge> : <Badge tone="warn">override</Badge>}
      {text !== '' ? (
        <Button size="sm" variant="ghost" onClick={() => onChange('')} aria-label={`Reset ${info.label} to derived`}>
          Reset to derived
        </Button>
      ) : null}
    </span>
  ) : undefined;
  // the value in force is text (readable, selectable), not a faint placeholder
  const inForce = derivable ? (
    <span data-testid={`in-force-${name}`} className="mt-1 block text-xs text-slate-800 dark:text-slate-100">
      {text === '' ? 'In force (derived): ' : 'Derived value, if reset: '}
      <code className="select-all break-all">{fallback || 'derived once the tenant and client ID are set'}</code>
    </span>
  ) : null;
  const help = inForce ? (
    <>
      {info.help}
      {inForce}
    </>
  ) : !derivable && info.derived && !info.help.includes('custom cloud') ? (
    <>{info.help} Required for a custom cloud.</>
  ) : (
    info.help
  );
  const common = { id, label, help, error, adornment };
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
        help={
          <>
            {info.help} One ID per line.{inForce}
          </>
        }
        rows={Math.min(6, Math.max(2, text.split('\n').length + 1))}
        value={text}
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
      spellCheck={false}
      autoComplete="off"
      // a GUID is 36 characters: monospace, and smaller on a phone, so that it is never cut off
      className={info.kind === 'guid' ? 'font-mono text-xs sm:text-sm' : mono ? 'font-mono' : ''}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

const groupKeys = new Set<SettingsKey>(['importGroupIds', 'requiredGroupIds', 'adminGroupIds', 'auditorGroupIds']);

/** What auditors see: the value as selectable text (never a disabled input), and for a derived field the value in force. */
function ReadOnlyValue({
  id,
  name,
  label,
  help,
  text,
  derived,
  mono,
}: {
  id: string;
  name: SettingsKey;
  label: React.ReactNode;
  help: string;
  text: string;
  derived: string | null;
  mono: boolean;
}) {
  const info = infoOf(name);
  if (groupKeys.has(name)) return <GroupIdsField id={id} label={label} labelText={info.label} help={help} value={text} readOnly onChange={() => {}} />;
  const shown =
    info.kind === 'boolean'
      ? text === 'true'
        ? 'On'
        : 'Off'
      : derived !== null
        ? derived || 'derived once the tenant and client ID are set'
        : text === ''
          ? 'Not set'
          : text;
  const lines = info.kind === 'guidList' ? shown.split(/[\s,]+/).filter(Boolean) : [shown];
  return (
    <div className="space-y-1">
      <div className="flex flex-wrap items-center gap-2">
        <p id={`${id}-label`} className="text-sm font-medium text-slate-800 dark:text-slate-100">
          {label}
        </p>
        {derived !== null ? <Badge tone="brand">derived</Badge> : info.derived && text !== '' ? <Badge tone="warn">override</Badge> : null}
      </div>
      <div
        id={id}
        role="group"
        aria-labelledby={`${id}-label`}
        className={`select-text break-all rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm text-slate-900 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-100 ${mono ? 'font-mono' : ''}`}
      >
        {lines.map((l) => (
          <span key={l} className="block">
            {l}
          </span>
        ))}
      </div>
      <p className="text-xs text-slate-600 dark:text-slate-300">{help}</p>
    </div>
  );
}
