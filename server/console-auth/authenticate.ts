import 'server-only';
import { parseCookie } from 'cookie';
import type { Db } from '@/db/client';
import { findUserByObjectId } from '@/server/directory/users';
import { LoginRefusedError } from '@/server/entra/errors';
import { validateAccessToken } from '@/server/entra/validate';
import { getEnv } from '@/config/env';
import { lookupConsoleSession } from '@/server/sessions/local-admin';
import { getSettings } from '@/server/settings/service';
import { ConsoleAuthError } from './errors';
import { withResolvedGroups } from './overage';
import { consoleRolesOf, type Role } from './roles';

/** Who is calling the console API or the export route. */
export interface ConsoleActor {
  kind: 'entra' | 'local';
  /** UPN / preferred_username for Entra users, the user name for the local admin. */
  name: string;
  /** tid:oid for Entra users, the local admin's ID. */
  id: string;
  displayName: string | null;
  roles: Role[];
  /** See {@link consoleRolesOf}: group-based roles could not be confirmed (groups overage). */
  groupsUnresolved?: boolean;
  consoleSessionId?: string;
}

/** The outcome of authenticating one console request: an actor, or why not (null: no credential was sent). */
export type ConsoleAuth = { actor: ConsoleActor; refusal: null } | { actor: null; refusal: ConsoleAuthError | null };

export interface ConsoleRequestFacts {
  /** https as configured, as received, or as a trusted proxy says it received it. */
  secure: boolean;
  /** Mutations with the cookie session must carry the CSRF header from the same origin. */
  csrfOk: boolean;
}

export const CONSOLE_COOKIE = 'ice_sso_console';
export const CSRF_HEADER = 'x-ice-sso-csrf';

/**
 * The console cookie's name: `__Host-` prefixed over https (the browser then guarantees it was
 * set by this host, Secure, for Path=/, so a sibling subdomain cannot plant one), the plain name
 * over http, where browsers refuse `__Host-` cookies.
 */
export function consoleCookieName(secure: boolean): string {
  return secure ? `__Host-${CONSOLE_COOKIE}` : CONSOLE_COOKIE;
}

/** One cookie of a `Cookie` header; malformed headers and bad percent-encoding give null or the raw value, never a throw. */
export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  return parseCookie(header)[name] ?? null;
}

/** The facts of a request that console authentication needs; `httpsDeployment` is PUBLIC_URL's say. */
export function consoleRequestFacts(req: Request, httpsDeployment: boolean): ConsoleRequestFacts {
  return { secure: isSecure(req, httpsDeployment), csrfOk: csrfOk(req) };
}

/**
 * Authenticates a console request, for tRPC and the export route alike: an Entra access token
 * (MSAL) as Bearer, checked by the one validator, with roles from {@link consoleRolesOf}; or
 * the break-glass admin's HttpOnly cookie session (always admin).
 */
export async function authenticateConsole(db: Db, req: Request, facts: Pick<ConsoleRequestFacts, 'secure'>): Promise<ConsoleAuth> {
  const auth = req.headers.get('authorization');
  if (auth) {
    const m = /^Bearer[ ]+(\S+)\s*$/i.exec(auth);
    if (!m) return { actor: null, refusal: new ConsoleAuthError('malformed_authorization', 'The Authorization header must be "Bearer <access token>".') };
    return entraActor(db, m[1]!);
  }
  const cookie = readCookie(req.headers.get('cookie'), consoleCookieName(facts.secure));
  if (cookie) {
    const found = lookupConsoleSession(db, cookie);
    if (!found) return { actor: null, refusal: new ConsoleAuthError('console_session_ended', 'Your console session has ended. Sign in again.') };
    return {
      actor: { kind: 'local', name: found.username, id: found.adminId, displayName: found.username, roles: ['admin'], consoleSessionId: found.sessionId },
      refusal: null,
    };
  }
  return { actor: null, refusal: null };
}

async function entraActor(db: Db, token: string): Promise<ConsoleAuth> {
  const settings = getSettings(db).effective;
  try {
    const validated = await validateAccessToken(db, settings, token);
    // groups overage: role groups are decided on the memberships Microsoft Graph confirms
    const subject = await withResolvedGroups(db, validated.subject, settings, typeof validated.claims.exp === 'number' ? validated.claims.exp * 1000 : null);
    const { roles, groupsUnresolved } = consoleRolesOf(subject, settings);
    const user = findUserByObjectId(db, subject.tenantId, subject.objectId);
    if (user?.status === 'disabled') return { actor: null, refusal: new ConsoleAuthError('user_disabled', 'Your account is disabled on this server.') };
    return {
      actor: {
        kind: 'entra',
        name: subject.username ?? subject.objectId,
        id: `${subject.tenantId}:${subject.objectId}`,
        displayName: subject.displayName,
        roles,
        groupsUnresolved,
      },
      refusal: null,
    };
  } catch (err) {
    if (err instanceof LoginRefusedError) return { actor: null, refusal: new ConsoleAuthError(err.reason, `${err.reason}: ${err.message}`) };
    throw err;
  }
}

function csrfOk(req: Request): boolean {
  if (!req.headers.get(CSRF_HEADER)) return false;
  const origin = req.headers.get('origin');
  if (!origin) return true;
  const host = req.headers.get('x-forwarded-host') ?? req.headers.get('host');
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

function isSecure(req: Request, httpsDeployment: boolean): boolean {
  if (httpsDeployment) return true;
  if (getEnv().TRUST_PROXY.kind !== 'none') {
    const proto = req.headers.get('x-forwarded-proto');
    if (proto) return proto.split(',')[0]!.trim() === 'https';
  }
  try {
    return new URL(req.url).protocol === 'https:';
  } catch {
    return false;
  }
}
