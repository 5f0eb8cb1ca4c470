'use client';
import { isOfflineError, messageOf } from '@/lib/trpc-errors';
import { Alert } from './alert';
import { Button } from './button';

/** A failed load: the error in words, and "Try again" (offline or a proxy's 502 are passing troubles). */
export function QueryError({ error, onRetry, title, busy }: { error: unknown; onRetry?: () => void; title?: string; busy?: boolean }) {
  return (
    <Alert tone={isOfflineError(error) ? 'warning' : 'error'} title={title ?? (isOfflineError(error) ? 'Offline' : undefined)}>
      <p>{messageOf(error)}</p>
      {onRetry ? (
        <Button size="sm" className="mt-2" busy={busy} onClick={onRetry}>
          Try again
        </Button>
      ) : null}
    </Alert>
  );
}
