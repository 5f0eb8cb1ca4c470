'use client';
import { useCallback, useMemo, useState } from 'react';

/**
 * "Next"/"Previous" over keyset pages: the server gives only a `nextCursor`, so the cursors of
 * the pages already seen are kept in a stack. Changing the filters (the `resetKey`) starts again.
 */
export function useKeysetPages(resetKey: string) {
  const [state, setState] = useState<{ key: string; stack: (string | null)[] }>({ key: resetKey, stack: [null] });
  const stack = useMemo(() => (state.key === resetKey ? state.stack : [null]), [state, resetKey]);
  const cursor = stack[stack.length - 1] ?? null;
  const next = useCallback((nextCursor: string) => setState({ key: resetKey, stack: [...stack, nextCursor] }), [resetKey, stack]);
  const previous = useCallback(() => setState({ key: resetKey, stack: stack.slice(0, -1) }), [resetKey, stack]);
  return { cursor, page: stack.length, hasPrevious: stack.length > 1, next, previous };
}
