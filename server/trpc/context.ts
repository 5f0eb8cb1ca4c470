import 'server-only';
import type { Db } from '@/db/client';
import { getDb } from '@/db/client';
import { findUserByObjectId } from '@/server/directory/users';
import { LoginRefusedError } from '@/server/entra/errors';
import { validateAccessToken } from '@/server/entra/validate';
import { parseCookie } from 'cookie';
import { getEnv } from '@/config/env';
import { clientAddressOf } from '@/server/lib/client-address';
import { isHttpsDeployment } from '@/server/lib/security-headers';
import { lookupConsoleSession } from '@/server/sessions/local-admin';
import { getSettings } from '@/server/settings/service';
import type { Actor } from '@/server/audit/changes';

export type Role = 'admin' | 'auditor';

/** Who is calling the console API. */
export interface ConsoleActor {
  kind: 'entra' | 'local';
  /** UPN / preferred_username for Entra users, the user name for the local admin. */
  name: string;
  /** tid:oid for Entra users, the local admin's ID. */
  id: string;
  displayName: string | null;
  roles: Role[];
  /**
   * The token had groups overage and role groups are configured: group-based roles could not
   * be confirmed, so none were granted (stored memberships never grant a role).
   */
  groupsUnresolved?: boolean;
  consoleSessionId?: string;
}

export interface Context {
  db: Db;
  actor: ConsoleActor | null;
  /** Why a presented credential was refused (for the 401 message). */
  authProblem: string | null;
  ip: string | null;
  userAgent: string | null;
  /** Mutations with the cookie session must carry the CSRF header from the same origin. */
  csrfOk: boolean;
  secure: boolean;
  resHeaders: Headers;
}

export const CONSOLE_COOKIE = 'ice_sso_console';
export const CSRF_HEADER = 'x-ice-sso-csrf';
export const ADMIN_APP_ROLE = 'IceSso.Admin';
export const AUDITOR_APP_ROLE = 'IceSso.Auditor';

/** The audit actor for a console caller. */
export function auditActor(ctx: Pick<Context, 'ip'> & { actor: ConsoleActor }): Actor {
  return { kind: ctx.actor.kind, name: ctx.actor.name, id: ctx.actor.id, ip: ctx.ip };
}

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

/**
 * Authenticates a console request: an Entra access token (MSAL) as Bearer, checked by the
 * one validator, with roles from app roles or configured groups; or the local admin's
 * HttpOnly cookie session.
 */
export async function createContext({ req, resHeaders, db = getDb() }: { req: Request; resHeaders: Headers; db?: Db }): Promise<Context> {
  const base = {
    db,
    ip: clientAddressOf(req),
    userAgent: req.headers.get('user-agent'),
    csrfOk: csrfOk(req),
    secure: isSecure(req),
    resHeaders,
  };
  const auth = req.headers.get('authorization');
  if (auth) {
    const m = /^Bearer[ ]+(\S+)\s*$/i.exec(auth);
    if (!m) return { ...base, actor: null, authProblem: 'The Authorization header must be "Bearer <access token>".' };
    return { ...base, ...(await entraActor(db, m[1]!)) };
  }
  const cookie = readCookie(req.headers.get('cookie'), consoleCookieName(base.secure));
  if (cookie) {
    const found = lookupConsoleSession(db, cookie);
    if (!found) return { ...base, actor: null, authProblem: 'Your console session has ended. Sign in again.' };
    return {
      ...base,
      actor: { kind: 'local', name: found.username, id: found.adminId, displayName: found.username, roles: ['admin'], consoleSessionId: found.sessionId },
      authProblem: null,
    };
  }
  return { ...base, actor: null, authProblem: null };
}

async function entraActor(db: Db, token: string): Promise<Pick<Context, 'actor' | 'authProblem'>> {
  const settings = getSettings(db).effective;
  try {
    const { subject } = await validateAccessToken(db, settings, token);
    const roles = new Set<Role>();
    if (subject.roles.includes(ADMIN_APP_ROLE)) roles.add('admin');
    if (subject.roles.includes(AUDITOR_APP_ROLE)) roles.add('auditor');
    // on overage the token lists no groups, and memberships stored at earlier sign-ins never grant a role
    const overage = subject.groups === 'overage';
    const groups = subject.groups === 'overage' ? [] : (subject.groups ?? []).map((g) => g.toLowerCase());
    if (groups.some((g) => settings.adminGroupIds.includes(g))) roles.add('admin');
    if (groups.some((g) => settings.auditorGroupIds.includes(g))) roles.add('auditor');
    const user = findUserByObjectId(db, subject.tenantId, subject.objectId);
    if (user?.status === 'disabled') return { actor: null, authProblem: 'Your account is disabled on this server.' };
    return {
      actor: {
        kind: 'entra',
        name: subject.username ?? subject.objectId,
        id: `${subject.tenantId}:${subject.objectId}`,
        displayName: subject.displayName,
        roles: [...roles],
        groupsUnresolved: overage && settings.adminGroupIds.length + settings.auditorGroupIds.length > 0,
      },
      authProblem: null,
    };
  } catch (err) {
    if (err instanceof LoginRefusedError) return { actor: null, authProblem: `${err.reason}: ${err.message}` };
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

/** https as configured (PUBLIC_URL), as received, or as a trusted proxy says it received it. */
function isSecure(req: Request): boolean {
  if (isHttpsDeployment()) return true;
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
