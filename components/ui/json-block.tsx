/** Pretty JSON in a labelled block: long lines wrap (a phone never scrolls it sideways), tall ones scroll. */
export function JsonBlock({ value, label }: { value: unknown; label: string }) {
  return (
    <pre
      aria-label={label}
      tabIndex={0}
      className="max-h-[28rem] overflow-y-auto whitespace-pre-wrap break-all rounded-md bg-slate-900 p-3 font-mono text-xs leading-relaxed text-slate-100"
    >
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}
