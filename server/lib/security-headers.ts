import 'server-only';
import { getEnv } from '@/config/env';

/**
 * Headers every response carries, whichever door answered (fast route, Next page, route
 * handler, static file, the parser's own 431/400): no MIME sniffing, no Referer leaving the
 * server (console URLs carry filters and user IDs), and HSTS once the public URL is https.
 */
export function baseSecurityHeaders(): Readonly<Record<string, string>> {
  return isHttpsDeployment() ? HTTPS_HEADERS : HTTP_HEADERS;
}

const HTTP_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' });
const HTTPS_HEADERS: Readonly<Record<string, string>> = Object.freeze({ ...HTTP_HEADERS, 'strict-transport-security': 'max-age=31536000' });

/** Every name {@link baseSecurityHeaders} may send, on either kind of deployment. */
export const BASE_SECURITY_HEADER_NAMES: readonly string[] = Object.keys(HTTPS_HEADERS);

/** Whether PUBLIC_URL says the server is reached over https (HSTS, Secure and __Host- cookies). */
export function isHttpsDeployment(): boolean {
  try {
    return getEnv().PUBLIC_URL?.startsWith('https:') ?? false;
  } catch {
    return false;
  }
}

export interface ConsolePolicyOptions {
  nonce: string;
  /** Origin of the configured Entra authority (MSAL fetches discovery and tokens from it), if any. */
  authorityOrigin: string | null;
  /** /sso is MSAL's redirect URI: its hidden iframe (silent renewal) loads it inside our own pages. */
  framedBySelf: boolean;
  dev: boolean;
  https: boolean;
}

/**
 * The console's Content-Security-Policy: scripts only with this response's nonce (and what
 * they load, 'strict-dynamic'); network only to this origin and the Entra authority; no
 * plugins, no <base>, forms only to this origin, never framed (except /sso by this origin).
 */
export function consolePolicy(o: ConsolePolicyOptions): string {
  const authority = o.authorityOrigin ? ` ${o.authorityOrigin}` : '';
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${o.nonce}' 'strict-dynamic'${o.dev ? " 'unsafe-eval'" : ''}`,
    // React style attributes (chart bars) cannot carry a nonce; style injection cannot run script
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${authority}${o.dev ? ' ws: wss:' : ''}`,
    // MSAL's silent renewal frames the authority, which redirects back to /sso on this origin
    `frame-src 'self'${authority}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${o.framedBySelf ? "'self'" : "'none'"}`,
  ];
  if (o.https) directives.push('upgrade-insecure-requests');
  return directives.join('; ');
}
