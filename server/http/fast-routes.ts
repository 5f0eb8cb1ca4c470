import 'server-only';
import { healthzRoutes, metricsRoutes, readyzRoutes } from './health';
import { loginRoutes } from './login';
import { sessionRoutes } from './session';
import { ssoMetaRoutes } from './sso-meta';
import type { RouteMethods } from './route-core';

/**
 * Paths the custom server answers itself through the node:http adapter (node-adapter.ts),
 * skipping Next's router: the same route functions that app/<path>/route.ts exports through
 * the Web adapter. fast-routes.test.ts fails when this table and app/ disagree.
 */
export const fastRoutes: Readonly<Record<string, RouteMethods | undefined>> = {
  '/sso-meta': ssoMetaRoutes,
  '/api/login': loginRoutes,
  '/api/session': sessionRoutes,
  '/healthz': healthzRoutes,
  '/readyz': readyzRoutes,
  '/metrics': metricsRoutes,
};

/** Routes of app/ that only Next serves, and why (fast-routes.test.ts checks that every other app/ route is in the table). */
export const nextOnlyRoutes: Readonly<Record<string, string>> = {
  '/api/trpc/[trpc]': 'the console API: tRPC needs its fetch adapter, and the console is not a hot path',
  '/api/audit/export': 'auditor exports: streamed, authenticated, rare',
};
