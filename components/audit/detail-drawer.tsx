'use client';
import { useEffect, type ReactNode } from 'react';

/**
 * Holds a detail panel beside the list, over the page's right edge (a phone: the whole
 * screen below the header), so that opening a row never scrolls the list away, as in the
 * Entra admin center's sign-in logs. Escape closes it.
 */
export function DetailDrawer({ onClose, children }: { onClose: () => void; children: ReactNode }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="fixed inset-x-0 bottom-0 top-14 z-40 overflow-y-auto bg-slate-50 p-2 shadow-2xl sm:left-auto sm:w-[30rem] sm:border-l sm:border-slate-200">
      {children}
    </div>
  );
}
