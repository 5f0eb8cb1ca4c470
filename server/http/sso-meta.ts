import 'server-only';
import { getDb } from '@/db/client';
import { getSettings } from '@/server/settings/service';
import { log } from '@/server/lib/log';

/**
 * GET/HEAD/OPTIONS /sso-meta: the public SSO document, served from the in-memory copy of
 * the settings. CORS `*`, ETag with 304 on If-None-Match, a short Cache-Control.
 */
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, HEAD, OPTIONS',
  'access-control-allow-headers': 'If-None-Match, Content-Type',
  'access-control-expose-headers': 'ETag',
  'access-control-max-age': '86400',
};

function respond(request: Request, withBody: boolean): Response {
  let meta;
  try {
    meta = getSettings(getDb()).meta;
  } catch (err) {
    log.error('sso-meta: settings unavailable', { error: (err as Error).message });
    return new Response('{"error":"temporarily_unavailable"}', {
      status: 503,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store', 'retry-after': '5', ...CORS },
    });
  }
  const headers = {
    'content-type': 'application/json',
    'cache-control': meta.status === 200 ? 'public, max-age=10' : 'no-cache',
    etag: meta.etag,
    ...CORS,
  };
  if (ifNoneMatch(request.headers.get('if-none-match'), meta.etag)) return new Response(null, { status: 304, headers });
  return new Response(withBody ? meta.body : null, {
    status: meta.status,
    headers: withBody ? headers : { ...headers, 'content-length': String(Buffer.byteLength(meta.body)) },
  });
}

function ifNoneMatch(header: string | null, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

export function GET(request: Request): Response {
  return respond(request, true);
}

export function HEAD(request: Request): Response {
  return respond(request, false);
}

export function OPTIONS(): Response {
  return new Response(null, { status: 204, headers: CORS });
}
