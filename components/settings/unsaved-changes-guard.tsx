'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';

/**
 * Asks before unsaved settings are dropped:
 * - a click on a link to another page of this origin (the console's navigation, any link)
 *   opens a dialog: stay, or leave and discard;
 * - Back / Forward: the browser's own confirm (a history step cannot wait for a dialog), and
 *   staying puts the page back;
 * - reload, closing the tab or typing another address: the browser's "Leave site?" prompt
 *   (`beforeunload`; browsers show their own words).
 */
export function UnsavedChangesGuard({ dirty, count }: { dirty: boolean; count: number }) {
  const router = useRouter();
  const [leavingTo, setLeavingTo] = useState<string | null>(null);
  const dirtyRef = useRef(dirty);
  // eslint-disable-next-line react-hooks/refs -- the latest value for the event listeners registered once below
  dirtyRef.current = dirty;
  const message = `You have ${count} unsaved ${count === 1 ? 'change' : 'changes'} to the SSO settings. Leave without saving?`;
  const messageRef = useRef(message);
  // eslint-disable-next-line react-hooks/refs -- the latest value for the event listeners registered once below
  messageRef.current = message;

  // the extra history entry that lets Back be asked about (see below)
  const sentinel = useRef<string | null>(null);

  useEffect(() => {
    if (!dirty) {
      // saved or reverted while staying: take the extra entry back out, so that Back works at once
      if (sentinel.current && location.href === sentinel.current) {
        sentinel.current = null;
        window.history.back();
      }
      return;
    }
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    // capture on document runs before React's own listener on its root, so Next's <Link> never sees the click
    const onClick = (e: MouseEvent) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const a = (e.target as Element | null)?.closest?.('a[href]') as HTMLAnchorElement | null;
      if (!a || (a.target && a.target !== '_self') || a.hasAttribute('download')) return;
      const url = new URL(a.href, location.href);
      if (url.origin !== location.origin || (url.pathname === location.pathname && url.search === location.search)) return;
      e.preventDefault();
      e.stopPropagation();
      setLeavingTo(`${url.pathname}${url.search}${url.hash}`);
    };
    // one extra entry with the same address: Back first lands on it, and we can ask
    const here = location.href;
    if (!sentinel.current) {
      window.history.pushState(window.history.state, '', here);
      sentinel.current = here;
    }
    const onPopState = () => {
      if (!dirtyRef.current || sentinel.current === null) return;
      sentinel.current = null;
      if (window.confirm(messageRef.current)) {
        dirtyRef.current = false;
        window.history.back();
      } else {
        window.history.pushState(window.history.state, '', here);
        sentinel.current = here;
      }
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    document.addEventListener('click', onClick, true);
    window.addEventListener('popstate', onPopState);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      document.removeEventListener('click', onClick, true);
      window.removeEventListener('popstate', onPopState);
    };
  }, [dirty]);

  // rendered only while asking: the dialog's title id is fixed, and other dialogs share the page
  if (leavingTo === null) return null;
  return (
    <ConfirmDialog
      open
      title="Leave without saving?"
      confirmLabel="Leave and discard changes"
      tone="danger"
      onCancel={() => setLeavingTo(null)}
      onConfirm={() => {
        const to = leavingTo;
        setLeavingTo(null);
        dirtyRef.current = false;
        if (to) router.push(to);
      }}
    >
      <p>{message}</p>
    </ConfirmDialog>
  );
}
