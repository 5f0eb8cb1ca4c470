/**
 * The ICE web client's session, kept in sessionStorage like MSAL's tokens: it ends with
 * the tab. `method` is the sign-in method read from the access token at login.
 */
export interface StoredWebSession {
  token: string;
  expiresAt: string;
  method: string | null;
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
