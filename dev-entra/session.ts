import type { IncomingMessage } from 'node:http';
import { userByKey } from './users';
import type { DemoUser } from './users';

/** The browser session Entra keeps after a sign-in, reduced to which demo user it is. */
const COOKIE = 'dev_entra_session';

export function sessionUser(req: IncomingMessage): DemoUser | undefined {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === COOKIE) return userByKey(decodeURIComponent(rest.join('=')));
  }
  return undefined;
}

/**
 * Silent sign-in (prompt=none in a hidden iframe) runs in a third-party context, so on HTTPS
 * the cookie is `SameSite=None; Secure`, like Entra's. Plain HTTP cannot do that: Lax.
 */
export function sessionCookie(user: DemoUser, secure: boolean): string {
  const attrs = secure ? 'SameSite=None; Secure' : 'SameSite=Lax';
  return `${COOKIE}=${encodeURIComponent(user.key)}; Path=/; HttpOnly; ${attrs}`;
}

export function clearedSessionCookie(secure: boolean): string {
  const attrs = secure ? 'SameSite=None; Secure' : 'SameSite=Lax';
  return `${COOKIE}=; Path=/; HttpOnly; Max-Age=0; ${attrs}`;
}
