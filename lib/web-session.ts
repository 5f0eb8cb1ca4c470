/**
 * The ICE web client's session, kept in sessionStorage like MSAL's tokens: it ends with
 * the tab. `method` is the sign-in method read from the access token at login.
 */
export interface StoredWebSession {
  token: string;
  expiresAt: string;
  method: string | null;
  /** The token's groups did not fit in it (overage): the server read them from Microsoft Graph, or could not. */
  overage?: boolean;
}

const KEY = 'ice-sso.web-session';

export function loadWebSession(): StoredWebSession | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as StoredWebSession) : null;
  } catch {
    return null;
  }
}

export function saveWebSession(session: StoredWebSession | null): void {
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
}
