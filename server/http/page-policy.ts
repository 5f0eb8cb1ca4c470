import 'server-only';
import { getDb } from '@/db/client';
import { log } from '@/server/lib/log';
import { getSettings } from '@/server/settings/service';
import { NOT_PAGES } from './next-headers';
import { baseSecurityHeaders, consolePolicy, isHttpsDeployment } from '@/server/lib/security-headers';

/** Origin of the configured Entra authority host (the emulator in tests), or null when unknown. */
export function authorityOrigin(): string | null {
  try {
    const host = getSettings(getDb()).effective.authorityHost;
    return host ? new URL(host).origin : null;
  } catch (err) {
    log.warn('csp: settings unavailable, connect-src limited to self', { error: (err as Error).message });
    return null;
  }
}

export interface PageHeaders {
  /** Headers for the response. */
  response: Record<string, string>;
  /** Headers to add to the request Next renders (it reads the nonce from its CSP). */
  request: Record<string, string>;
}

/**
 * What proxy.ts adds to a request Next serves: the base headers always; for pages a fresh
 * nonce, sent to Next in the request's CSP (it puts the nonce on its own scripts) and `x-nonce`,
 * and the same CSP on the response.
 */
export function pageHeaders(pathname: string, dev: boolean): PageHeaders {
  const response = { ...baseSecurityHeaders() };
  if (NOT_PAGES.test(pathname)) return { response, request: {} };
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64');
  const policy = consolePolicy({ nonce, authorityOrigin: authorityOrigin(), framedBySelf: pathname === '/sso', dev, https: isHttpsDeployment() });
  response['content-security-policy'] = policy;
  return { response, request: { 'x-nonce': nonce, 'content-security-policy': policy } };
}
