import 'server-only';
import { readCapped } from '@/server/lib/read-capped';
import { clientAddressOf } from '@/server/lib/client-address';
import { requestIdOf } from '@/server/lib/request-id';
import { MAX_ROUTE_BODY_BYTES, routeFailure, type RouteFunction, type RouteMethods, type RouteRequest, type RouteResponse } from './route-core';

export type WebHandler = ((request: Request) => Promise<Response>) & { readonly [ROUTE]?: RouteFunction };

/** The route function a Web handler adapts (fast-routes.test.ts checks app/ exports the table's own functions). */
export const ROUTE = Symbol('ice-sso.route');

/** The route function behind an app/ route export made by {@link webRoute}, or undefined. */
export function routeOf(handler: unknown): RouteFunction | undefined {
  return typeof handler === 'function' ? (handler as WebHandler)[ROUTE] : undefined;
}

/**
 * The Web adapter: a route function (route-core.ts) as the `Request → Response` export of an
 * app/ route handler, for plain `next start` (and any path Next serves). Same facts as the
 * node:http adapter: the client address and request ID the guard stamped, the same body cap,
 * and the same 500 body when the route throws.
 */
export function webRoute(route: RouteFunction): WebHandler {
  const handler = async (request: Request): Promise<Response> => {
    const facts = routeRequestOf(request);
    let response: RouteResponse;
    try {
      response = await route(facts);
    } catch (err) {
      response = routeFailure(facts, err);
    }
    const body = request.method === 'HEAD' ? null : response.body;
    // Buffer is a Uint8Array; the DOM typings only reject its ArrayBufferLike backing type
    return new Response(body as BodyInit | null, { status: response.status, headers: response.headers });
  };
  return Object.defineProperty(handler, ROUTE, { value: route });
}

/** Every method of a route table entry as Web handlers, for `export const { GET, HEAD } = webRoutes(...)` in app/. */
export function webRoutes<M extends RouteMethods>(methods: M): { [K in keyof M]: WebHandler } {
  return Object.fromEntries(Object.entries(methods).map(([m, fn]) => [m, webRoute(fn as RouteFunction)])) as { [K in keyof M]: WebHandler };
}

function routeRequestOf(request: Request): RouteRequest {
  return {
    method: request.method,
    path: new URL(request.url).pathname,
    header: (name) => request.headers.get(name) ?? undefined,
    clientIp: clientAddressOf(request),
    requestId: requestIdOf(request),
    readBody: async () => {
      if (Number(request.headers.get('content-length') ?? '0') > MAX_ROUTE_BODY_BYTES) return null;
      return readCapped(request.body, MAX_ROUTE_BODY_BYTES);
    },
  };
}
