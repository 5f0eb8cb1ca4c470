import { Button } from './button';

/** Previous / Next for keyset pages, with the page number announced. */
export function Pager({
  page,
  hasPrevious,
  nextCursor,
  onPrevious,
  onNext,
  busy,
}: {
  page: number;
  hasPrevious: boolean;
  nextCursor: string | null;
  onPrevious: () => void;
  onNext: (cursor: string) => void;
  busy?: boolean;
}) {
  return (
    <nav aria-label="Pages" className="mt-4 flex items-center gap-3">
      <Button size="sm" disabled={!hasPrevious || busy} onClick={onPrevious}>
        Previous
      </Button>
      <span className="text-sm text-slate-600" aria-live="polite">
        Page {page}
      </span>
      <Button size="sm" disabled={!nextCursor || busy} onClick={() => nextCursor && onNext(nextCursor)}>
        Next
      </Button>
    </nav>
  );
}
