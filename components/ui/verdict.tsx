/** ✓ / ✗ / — with words for screen readers. */
export function Verdict({ ok }: { ok: boolean | null }) {
  if (ok === null) {
    return (
      <span className="font-mono text-slate-500" title="not checked">
        <span aria-hidden="true">—</span>
        <span className="sr-only">not checked</span>
      </span>
    );
  }
  return ok ? (
    <span className="font-bold text-green-700" title="passed">
      <span aria-hidden="true">✓</span>
      <span className="sr-only">passed</span>
    </span>
  ) : (
    <span className="font-bold text-red-700" title="failed">
      <span aria-hidden="true">✗</span>
      <span className="sr-only">failed</span>
    </span>
  );
}
