import 'server-only';
import type http from 'node:http';
import { REQUEST_ID_HEADER } from '@/server/lib/request-id';
import { BASE_SECURITY_HEADER_NAMES, baseSecurityHeaders } from '@/server/lib/security-headers';

/**
 * Sets the headers every answer carries on the response, for whoever writes it next (Next, the
 * console thread's answers, the guard's own refusals, a 500): the request ID and the base
 * security headers (nosniff, referrer policy, HSTS on https).
 */
export function applyBaseHeaders(req: http.IncomingMessage, res: http.ServerResponse): void {
  const list = baseHeaderList(req);
  for (let i = 0; i < list.length; i += 2) res.setHeader(list[i]!, list[i + 1]!);
}

/**
 * The same headers as a flat list of names and values, for an answer written with one
 * `writeHead` (the fast routes, node-adapter.ts): no `setHeader` per header before it, which
 * node stores and then merges one by one. A new array each call: the caller appends to it.
 */
export function baseHeaderList(req: http.IncomingMessage): string[] {
  const list = [REQUEST_ID_HEADER, req.headers[REQUEST_ID_HEADER] as string];
  const security = baseSecurityHeaders();
  for (const name in security) list.push(name, security[name]!);
  return list;
}

const BASE_NAMES = new Set([REQUEST_ID_HEADER, ...BASE_SECURITY_HEADER_NAMES]);

/** Whether a route's header is one of {@link baseHeaderList}'s (then the route's own is left out, never sent twice). */
export function isBaseHeader(name: string): boolean {
  return BASE_NAMES.has(name);
}
