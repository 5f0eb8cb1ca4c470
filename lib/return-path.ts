/**
 * The console starts MSAL sign-ins whose response lands on /sso (the registered redirect
 * URI). The console's path travels in the request `state`; /sso sends the browser back.
 */
const PREFIX = 'console:';

export function consoleState(path: string): string {
  return `${PREFIX}${safeConsolePath(path) ?? '/'}`;
}

/** The console path a state carries, or null for an /sso sign-in (or anything suspicious). */
export function consolePathFromState(state: string | null | undefined): string | null {
  if (!state?.startsWith(PREFIX)) return null;
  return safeConsolePath(state.slice(PREFIX.length)) ?? '/';
}

/** Same-origin paths only: never `//host` or a scheme, so the state cannot redirect elsewhere. */
export function safeConsolePath(path: string): string | null {
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return null;
  if (path === '/sso' || path.startsWith('/sso?') || path.startsWith('/sso#') || path.startsWith('/setup')) return '/';
  return path;
}
