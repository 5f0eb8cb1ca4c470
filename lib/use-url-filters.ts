'use client';
import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';

/**
 * Filters kept in the URL's query string, so that a filtered view can be linked to (a user's
 * refused sign-ins) and survives reloads. Empty values are removed.
 */
export function useUrlFilters<K extends string>(keys: readonly K[]) {
  const params = useSearchParams();
  const pathname = usePathname();
  const values = useMemo(() => {
    const out: Partial<Record<K, string>> = {};
    for (const k of keys) {
      const v = params.get(k);
      if (v) out[k] = v;
    }
    return out;
  }, [params, keys]);
  const set = useCallback(
    (patch: Partial<Record<K, string | undefined>>) => {
      const next = new URLSearchParams(params.toString());
      for (const [k, v] of Object.entries(patch) as [K, string | undefined][]) {
        if (v) next.set(k, v);
        else next.delete(k);
      }
      // the History API (which Next's router follows) rather than router.replace: a filter that
      // commits after a debounce must not cancel a navigation the user started meanwhile
      window.history.replaceState(null, '', `${pathname}${next.size ? `?${next}` : ''}`);
    },
    [params, pathname],
  );
  return { values, set };
}
