'use client';
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

const inputClass =
  'block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-400 disabled:bg-slate-100 disabled:text-slate-500 aria-[invalid=true]:border-red-600';

interface FieldChrome {
  label: ReactNode;
  help?: ReactNode;
  error?: string | null;
  /** Shown after the label, e.g. a "derived" badge. */
  adornment?: ReactNode;
}

/** Label, help and error wired to the control through ids, for every kind of input. */
function Frame({ id, label, help, error, adornment, children }: FieldChrome & { id: string; children: ReactNode }) {
  return (
    <div className="space-y-1">
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor={id} className="text-sm font-medium text-slate-800">
          {label}
        </label>
        {adornment}
      </div>
      {children}
      {help ? (
        <p id={`${id}-help`} className="text-xs text-slate-600">
          {help}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="text-xs font-medium text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function describedBy(id: string, help: unknown, error: unknown): string | undefined {
  return [help ? `${id}-help` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
}

export function TextField({ label, help, error, adornment, id: idProp, className = '', ...props }: FieldChrome & InputHTMLAttributes<HTMLInputElement>) {
  const auto = useId();
  const id = idProp ?? auto;
  return (
    <Frame id={id} label={label} help={help} error={error} adornment={adornment}>
      <input
        id={id}
        {...props}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, help, error)}
        className={`${inputClass} ${className}`}
      />
    </Frame>
  );
}

export function TextArea({ label, help, error, adornment, id: idProp, className = '', ...props }: FieldChrome & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const auto = useId();
  const id = idProp ?? auto;
  return (
    <Frame id={id} label={label} help={help} error={error} adornment={adornment}>
      <textarea
        id={id}
        {...props}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, help, error)}
        className={`${inputClass} font-mono ${className}`}
      />
    </Frame>
  );
}

export function SelectField({ label, help, error, adornment, id: idProp, children, ...props }: FieldChrome & SelectHTMLAttributes<HTMLSelectElement>) {
  const auto = useId();
  const id = idProp ?? auto;
  return (
    <Frame id={id} label={label} help={help} error={error} adornment={adornment}>
      <select id={id} {...props} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, help, error)} className={inputClass}>
        {children}
      </select>
    </Frame>
  );
}

/** A checkbox with its label beside it. */
export function CheckboxField({
  label,
  help,
  error,
  id: idProp,
  ...props
}: Omit<FieldChrome, 'adornment'> & Omit<InputHTMLAttributes<HTMLInputElement>, 'type'>) {
  const auto = useId();
  const id = idProp ?? auto;
  return (
    <div className="space-y-1">
      <div className="flex items-center gap-2">
        <input
          id={id}
          type="checkbox"
          {...props}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, help, error)}
          className="h-4 w-4 rounded border-slate-400 accent-brand-600"
        />
        <label htmlFor={id} className="text-sm font-medium text-slate-800">
          {label}
        </label>
      </div>
      {help ? (
        <p id={`${id}-help`} className="pl-6 text-xs text-slate-600">
          {help}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="pl-6 text-xs font-medium text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
