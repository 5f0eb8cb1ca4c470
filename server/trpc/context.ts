import 'server-only';
import type { Db } from '@/db/client';
import { getDb } from '@/db/client';
import type { Actor } from '@/server/audit/changes';
import { authenticateConsole, consoleRequestFacts, type ConsoleActor, type ConsoleAuth } from '@/server/console-auth/authenticate';
import { ConsoleAuthError } from '@/server/console-auth/errors';
import { clientAddressOf } from '@/server/lib/client-address';
import { requestIdOf } from '@/server/lib/request-id';
import { isHttpsDeployment } from '@/server/lib/security-headers';

// the console's authentication lives in server/console-auth; these names stay importable from here
export type { ConsoleActor } from '@/server/console-auth/authenticate';
export type { Role } from '@/server/console-auth/roles';
export { CONSOLE_COOKIE, CSRF_HEADER, consoleCookieName, readCookie } from '@/server/console-auth/authenticate';
export { ADMIN_APP_ROLE, AUDITOR_APP_ROLE } from '@/server/console-auth/roles';

export interface Context {
  db: Db;
  actor: ConsoleActor | null;
  /** Why a presented credential was refused (for the 401 message and `auth.me`). */
  authProblem: string | null;
  /** The same refusal as an error with its reason; absent in contexts built by hand (tests). */
  authRefusal?: ConsoleAuthError | null;
  ip: string | null;
  userAgent: string | null;
  /** Mutations with the cookie session must carry the CSRF header from the same origin. */
  csrfOk: boolean;
  secure: boolean;
  resHeaders: Headers;
  /** The request's ID (x-request-id), quoted in the answer to an unexpected fault and in its log line. */
  requestId?: string | null;
}

/** The audit actor for a console caller. */
export function auditActor(ctx: Pick<Context, 'ip'> & { actor: ConsoleActor }): Actor {
  return { kind: ctx.actor.kind, name: ctx.actor.name, id: ctx.actor.id, ip: ctx.ip };
}

/** The console-auth outcome a context carries, for {@link requireRole} and friends. */
export function consoleAuthOf(ctx: Pick<Context, 'actor' | 'authRefusal' | 'authProblem'>): ConsoleAuth {
  if (ctx.actor) return { actor: ctx.actor, refusal: null };
  if (ctx.authRefusal) return { actor: null, refusal: ctx.authRefusal };
  // a context built by hand with only the words of a refusal
  return { actor: null, refusal: ctx.authProblem ? new ConsoleAuthError('sign_in_required', ctx.authProblem) : null };
}

/** Authenticates a console request through server/console-auth (MSAL bearer or the break-glass cookie). */
export async function createContext({ req, resHeaders, db = getDb() }: { req: Request; resHeaders: Headers; db?: Db }): Promise<Context> {
  const facts = consoleRequestFacts(req, isHttpsDeployment());
  const auth = await authenticateConsole(db, req, facts);
  return {
    db,
    actor: auth.actor,
    authProblem: auth.refusal?.message ?? null,
    authRefusal: auth.refusal,
    ip: clientAddressOf(req),
    userAgent: req.headers.get('user-agent'),
    csrfOk: facts.csrfOk,
    secure: facts.secure,
    resHeaders,
    requestId: requestIdOf(req),
  };
}
