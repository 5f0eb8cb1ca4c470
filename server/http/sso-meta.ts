import 'server-only';
import { getDb } from '@/db/client';
import { getSettings } from '@/server/settings/service';
import type { SsoMeta } from '@/server/settings/meta';
import { log } from '@/server/lib/log';
import { noteDatabaseFault } from '@/server/lib/database-outage';
import type { RouteMethods, RouteRequest, RouteResponse } from './route-core';
import { webRoutes } from './web-adapter';

/**
 * GET/HEAD/OPTIONS /sso-meta: the public SSO document, served from the in-memory copy of
 * the settings (and from the last document served while the database cannot be read). CORS
 * `*`, ETag with 304 on If-None-Match, a short Cache-Control. The body, its ETag
 * (server/settings/meta.ts) and the answers' headers are built once per settings version; a
 * request only compares its If-None-Match.
 */
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, HEAD, OPTIONS',
  'access-control-allow-headers': 'If-None-Match, Content-Type',
  'access-control-expose-headers': 'ETag',
  'access-control-max-age': '86400',
};

interface Prepared {
  full: RouteResponse;
  notModified: RouteResponse;
  etag: string;
}

const prepared = new WeakMap<SsoMeta, Prepared>();

function prepare(meta: SsoMeta): Prepared {
  let p = prepared.get(meta);
  if (p) return p;
  // a string, not a Buffer: node:http then sends the header and body in one write, not a writev of two
  const body = meta.body;
  const headers = {
    'content-type': 'application/json',
    'cache-control': meta.status === 200 ? 'public, max-age=10' : 'no-cache',
    etag: meta.etag,
    ...CORS,
  };
  p = {
    // HEAD answers the same headers, content-length included, and no body (the adapters drop it)
    full: { status: meta.status, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, body },
    notModified: { status: 304, headers, body: null },
    etag: meta.etag,
  };
  prepared.set(meta, p);
  return p;
}

const UNAVAILABLE: RouteResponse = {
  status: 503,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store', 'retry-after': '5', ...CORS },
  body: JSON.stringify({
    error: 'temporarily_unavailable',
    reason: 'database_unavailable',
    message: 'The settings cannot be read right now. Try again shortly.',
  }),
};

/** The last document served: kept serving from memory while the settings cannot be read (a database outage). */
let lastServed: Prepared | null = null;
let servingFromMemory = false;

function ssoMeta(request: RouteRequest): RouteResponse {
  let p: Prepared;
  try {
    p = prepare(getSettings(getDb()).meta);
    if (servingFromMemory) log.warn('sso-meta: settings readable again');
    servingFromMemory = false;
    lastServed = p;
  } catch (err) {
    noteDatabaseFault(err);
    if (!lastServed) {
      log.error('sso-meta: settings unavailable', { error: (err as Error).message });
      return UNAVAILABLE;
    }
    if (!servingFromMemory) log.warn('sso-meta: settings unreadable, serving the last document from memory', { error: (err as Error).message });
    servingFromMemory = true;
    p = lastServed;
  }
  return ifNoneMatch(request.header('if-none-match'), p.etag) ? p.notModified : p.full;
}

function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

const OPTIONS_ANSWER: RouteResponse = { status: 204, headers: CORS, body: null };

/** The route table entry of /sso-meta (fast-routes.ts), and through the Web adapter the exports of app/sso-meta/route.ts. */
export const ssoMetaRoutes = { GET: ssoMeta, HEAD: ssoMeta, OPTIONS: () => OPTIONS_ANSWER } satisfies RouteMethods;
export const { GET, HEAD, OPTIONS } = webRoutes(ssoMetaRoutes);
