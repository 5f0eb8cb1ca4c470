import type { IncomingMessage } from 'node:http';
import { parseCookie, stringifySetCookie } from 'cookie';
import { userByKey } from './users';
import type { DemoUser } from './users';

/** The browser session Entra keeps after a sign-in, reduced to which demo user it is. */
const COOKIE = 'dev_entra_session';

export function sessionUser(req: IncomingMessage): DemoUser | undefined {
  const key = parseCookie(req.headers.cookie ?? '')[COOKIE];
  return key === undefined ? undefined : userByKey(key);
}

/**
 * Silent sign-in (prompt=none in a hidden iframe) runs in a third-party context, so on HTTPS
 * the cookie is `SameSite=None; Secure`, like Entra's. Plain HTTP cannot do that: Lax.
 */
export function sessionCookie(user: DemoUser, secure: boolean): string {
  return stringifySetCookie(COOKIE, user.key, { path: '/', httpOnly: true, ...(secure ? { sameSite: 'none', secure: true } : { sameSite: 'lax' }) });
}

export function clearedSessionCookie(secure: boolean): string {
  return stringifySetCookie(COOKIE, '', { path: '/', httpOnly: true, maxAge: 0, ...(secure ? { sameSite: 'none', secure: true } : { sameSite: 'lax' }) });
}
