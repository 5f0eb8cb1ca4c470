import type { ServerResponse } from 'node:http';
import { redirect, sendHtml } from './http';
import { signedOutPage } from './pages';
import { isAllowedPostLogoutUri } from './redirect-uris';
import { clearedSessionCookie } from './session';
import type { EmulatorState } from './state';

/**
 * `GET /<tenant>/oauth2/v2.0/logout`: ends the browser session, then returns to
 * `post_logout_redirect_uri` when it is one the emulator would redirect to. As in Entra,
 * refresh tokens already issued stay valid (MSAL drops them from its cache).
 */
export function handleLogout(state: EmulatorState, res: ServerResponse, url: URL): void {
  const cookie = { 'Set-Cookie': clearedSessionCookie(state.secure) };
  const target = url.searchParams.get('post_logout_redirect_uri');
  if (target && isAllowedPostLogoutUri(target, state.config, state.origin)) {
    const back = new URL(target);
    const stateParam = url.searchParams.get('state');
    if (stateParam !== null) back.searchParams.set('state', stateParam);
    redirect(res, back.toString(), cookie);
    return;
  }
  sendHtml(res, 200, signedOutPage(), cookie);
}
