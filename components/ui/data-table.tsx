import type { ReactNode } from 'react';

/**
 * A table that fits its box: on phones (below 768 px) each row stacks into a small card
 * (`data-table-stack` in app/globals.css), from there up it scrolls sideways inside its box
 * if it must rather than widening the page; with its caption for screen readers (or shown, with `showCaption`). The box is
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
      <table className={`data-table-stack w-full${minWidth ? ` ${minWidth}` : ''} border-collapse text-sm`}>
        <caption className={showCaption ? 'mb-2 text-left font-medium' : 'sr-only'}>{caption}</caption>
        {children}
      </table>
    </div>
  );
}
