import 'server-only';
import { parseAndValidateFlightRouterState } from 'next/dist/server/app-render/parse-and-validate-flight-router-state';

/** Request headers Next.js reads for its own client router (React Server Component requests, server actions). */
const ROUTER_HEADERS = ['rsc', 'next-router-state-tree', 'next-router-prefetch', 'next-router-segment-prefetch', 'next-url', 'next-action', 'next-hmr-refresh'];

/** Paths answered by route handlers (JSON, files), not pages. */
export const NOT_PAGES = /^\/(api\/|sso-meta$|healthz$|readyz$|metrics$)/;

/**
 * Next's router headers are internal to its own client: a route handler has no use for them,
 * and a router state tree Next cannot parse makes it answer 500 or drop the connection. So
 * they are removed from requests for route handlers, and a state tree that does not parse is
 * removed from page requests (the page then renders whole, as for a first visit).
 */
export function sanitizeRouterHeaders(pathname: string, get: (name: string) => string | undefined, remove: (name: string) => void): void {
  if (NOT_PAGES.test(pathname)) {
    for (const name of ROUTER_HEADERS) if (get(name) !== undefined) remove(name);
    return;
  }
  const tree = get('next-router-state-tree');
  if (tree === undefined) return;
  try {
    parseAndValidateFlightRouterState(tree);
  } catch {
    remove('next-router-state-tree');
  }
}
