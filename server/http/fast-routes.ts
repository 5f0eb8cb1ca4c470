import 'server-only';
import * as login from './login';
import * as session from './session';
import * as ssoMeta from './sso-meta';
import type { WebHandler } from './node-adapter';

type Methods = Partial<Record<'GET' | 'HEAD' | 'POST' | 'DELETE' | 'OPTIONS', WebHandler>>;

/**
 * Paths the custom server answers by calling the route handler's own exports (the same
 * functions app/<path>/route.ts re-exports), skipping Next's router.
 */
export const fastRoutes: Record<string, Methods | undefined> = {
  '/sso-meta': { GET: ssoMeta.GET, HEAD: ssoMeta.HEAD, OPTIONS: ssoMeta.OPTIONS },
  '/api/login': { POST: login.POST, OPTIONS: login.OPTIONS },
  '/api/session': { GET: session.GET, DELETE: session.DELETE },
};
