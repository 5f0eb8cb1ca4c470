import { NextResponse, type NextRequest } from 'next/server';
import { getEnv } from '@/config/env';
import { sanitizeRouterHeaders } from '@/server/http/next-headers';
import { pageHeaders } from '@/server/http/page-policy';

/**
 * Runs before Next renders anything it serves (under `npm start` and plain `next start`):
 * security headers on every response, and the console pages' per-request CSP nonce.
 */
export function proxy(request: NextRequest): NextResponse {
  const { response: responseHeaders, request: requestExtra } = pageHeaders(request.nextUrl.pathname, getEnv().NODE_ENV === 'development');
  const headers = new Headers(request.headers);
  sanitizeRouterHeaders(
    request.nextUrl.pathname,
    (n) => headers.get(n) ?? undefined,
    (n) => headers.delete(n),
  );
  for (const [name, value] of Object.entries(requestExtra)) headers.set(name, value);
  const response = NextResponse.next({ request: { headers } });
  for (const [name, value] of Object.entries(responseHeaders)) response.headers.set(name, value);
  return response;
}

export const config = {
  // /api/* is left out: Next would copy request bodies for a proxy, and the API gets its
  // headers from next.config.mjs (and from the custom server under npm start)
  matcher: [{ source: '/((?!api/|_next/static|_next/image|favicon.ico).*)' }],
};
