import { DEMO_APPS, NATIVE_CLIENT_PATH } from './apps';
import type { DemoApp } from './apps';
import type { EmulatorConfig } from './state';

/** SPA redirect URIs need PKCE and cross-origin redemption; native ones are for installed apps. */
export type RedirectKind = 'spa' | 'native';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function parse(uri: string): URL | undefined {
  try {
    return new URL(uri);
  } catch {
    return undefined;
  }
}

function isLoopbackWeb(url: URL): boolean {
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.has(url.hostname) && url.username === '' && url.password === '' && url.hash === ''
  );
}

/**
 * Whether `uri` is registered for `app`, and as what. Registered: the app's exact URIs, the
 * extra ones from the config, the emulator's own native-client page, and (for the ICE
 * registration) any loopback `http(s)` page at `/sso` or below, on any port, since
 * development servers move around. Nothing else: no open redirector.
 */
export function classifyRedirectUri(app: DemoApp, uri: string, config: EmulatorConfig, origin: string): RedirectKind | undefined {
  const url = parse(uri);
  if (!url) return undefined;
  const exact = [...app.redirectUris, ...(config.redirectUris[app.clientId] ?? []), `${origin}${NATIVE_CLIENT_PATH}`];
  if (exact.includes(uri)) {
    const web = (url.protocol === 'http:' || url.protocol === 'https:') && !url.pathname.endsWith(NATIVE_CLIENT_PATH);
    return web ? 'spa' : 'native';
  }
  if (app.spaLoopback && isLoopbackWeb(url) && (url.pathname === '/sso' || url.pathname.startsWith('/sso/'))) return 'spa';
  return undefined;
}

/** Where sign-out may send the browser: any registered redirect URI, or a loopback web page. */
export function isAllowedPostLogoutUri(uri: string, config: EmulatorConfig, origin: string): boolean {
  const url = parse(uri);
  if (!url) return false;
  return isLoopbackWeb(url) || DEMO_APPS.some((app) => classifyRedirectUri(app, uri, config, origin) !== undefined);
}
