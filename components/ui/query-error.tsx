'use client';
import { useEffect } from 'react';
import { isOfflineError, messageOf } from '@/lib/trpc-errors';
import { Alert } from './alert';
import { Button } from './button';

/** How often an offline error looks whether the network is back (the browser's `online` event is not always sent). */
const ONLINE_POLL_MS = 2_000;

/**
 * A failed load: the error in words, and "Try again" (offline or a proxy's 502 are passing
 * troubles). Offline, it tries again by itself once the browser is online.
 */
export function QueryError({ error, onRetry, title, busy }: { error: unknown; onRetry?: () => void; title?: string; busy?: boolean }) {
  const offline = isOfflineError(error);
  useEffect(() => {
    if (!offline || !onRetry) return;
    const timer = window.setInterval(() => {
      if (navigator.onLine) onRetry();
    }, ONLINE_POLL_MS);
    return () => window.clearInterval(timer);
  }, [offline, onRetry]);
  return (
    <Alert tone={offline ? 'warning' : 'error'} title={title ?? (offline ? 'Offline' : undefined)}>
      <p>{messageOf(error)}</p>
      {onRetry ? (
        <Button size="sm" className="mt-2" busy={busy} onClick={onRetry}>
          Try again
        </Button>
      ) : null}
    </Alert>
  );
}
