import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fastRoutes, nextOnlyRoutes } from './fast-routes';
import { DOOR_METHODS } from './request-guard';
import { routeOf } from './web-adapter';

const ROOT = path.resolve(__dirname, '..', '..');
const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** Every app/**\/route.ts as its URL path (route groups like `(console)` dropped) and its file. */
function appRoutes(): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/^route\.(ts|tsx|js|mjs)$/.test(entry.name)) {
        const segments = path
          .relative(path.join(ROOT, 'app'), dir)
          .split(path.sep)
          .filter((s) => s && !/^\(.*\)$/.test(s));
        found.set(`/${segments.join('/')}`, full);
      }
    }
  };
  walk(path.join(ROOT, 'app'));
  return found;
}

const methodsOf = (mod: Record<string, unknown>) => HTTP_METHODS.filter((m) => typeof mod[m] === 'function');

describe('the fast-route table and app/', () => {
  const routes = appRoutes();

  it('finds the route handlers of app/ (the walk itself works)', () => {
    expect([...routes.keys()]).toEqual(expect.arrayContaining(['/sso-meta', '/api/login', '/api/session', '/api/trpc/[trpc]']));
  });

  it('has an app/ route handler for every fast route, and every app/ route is either fast or declared Next-only', () => {
    for (const p of Object.keys(fastRoutes)) expect(routes.has(p), `${p} is in the fast table but has no app${p}/route.ts`).toBe(true);
    for (const p of Object.keys(nextOnlyRoutes)) expect(routes.has(p), `${p} is declared Next-only but has no route.ts`).toBe(true);
    for (const p of routes.keys())
      expect(Object.hasOwn(fastRoutes, p) || Object.hasOwn(nextOnlyRoutes, p), `app${p}/route.ts is neither a fast route nor declared Next-only`).toBe(true);
  });

  it("exports, in every fast route file of app/, exactly the table's methods, each the Web adapter of the table's own route function", async () => {
    for (const [p, methods] of Object.entries(fastRoutes)) {
      const mod = (await import(routes.get(p)!)) as Record<string, unknown>;
      expect(methodsOf(mod), p).toEqual(HTTP_METHODS.filter((m) => Object.hasOwn(methods!, m)));
      for (const m of methodsOf(mod)) expect(routeOf(mod[m]), `${m} ${p}`).toBe(methods![m as keyof typeof methods]);
    }
  });

  it('refuses at the guard exactly the methods the fast routes lack (DOOR_METHODS agrees with the table), on both doors', () => {
    for (const [p, methods] of Object.entries(fastRoutes)) expect([...DOOR_METHODS[p]!].sort(), p).toEqual(Object.keys(methods!).sort());
  });
});
