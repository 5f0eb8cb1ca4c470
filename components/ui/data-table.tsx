import type { ReactNode } from 'react';

/**
 * A table that scrolls sideways inside its box on narrow screens instead of widening the
 * page, with its caption for screen readers (or shown, with `showCaption`). The box is
 * positioned so that the visually hidden caption stays inside it.
 */
export function DataTable({
  caption,
  minWidth,
  framed = false,
  showCaption = false,
  children,
}: {
  caption: ReactNode;
  /** Tailwind min-width class, e.g. `min-w-[40rem]`: below it, the table scrolls. */
  minWidth?: string;
  /** A white box with a border, for a page's main table. */
  framed?: boolean;
  showCaption?: boolean;
  children: ReactNode;
}) {
  return (
    <div className={`relative overflow-x-auto${framed ? ' rounded-lg border border-slate-200 bg-white' : ''}`}>
      <table className={`w-full${minWidth ? ` ${minWidth}` : ''} border-collapse text-sm`}>
        <caption className={showCaption ? 'mb-2 text-left font-medium' : 'sr-only'}>{caption}</caption>
        {children}
      </table>
    </div>
  );
}
