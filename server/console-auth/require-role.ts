import 'server-only';
import type { ConsoleActor, ConsoleAuth } from './authenticate';
import { ConsoleAuthError } from './errors';
import { hasConsoleRole, type Role } from './roles';

export interface RequireOptions {
  /** The 401 message when no credential was sent at all. */
  signInMessage?: string;
  /** A state-changing call: with the cookie session it must have passed the CSRF check. */
  mutation?: boolean;
  csrfOk?: boolean;
}

/**
 * The signed-in caller, or {@link ConsoleAuthError}: `unauthorized` without an actor (with the
 * reason the credential was refused), `forbidden` for a cookie-session mutation that failed the
 * CSRF check.
 */
export function requireConsoleActor(auth: ConsoleAuth, options: RequireOptions = {}): ConsoleActor {
  if (!auth.actor) throw auth.refusal ?? new ConsoleAuthError('sign_in_required', options.signInMessage ?? 'Sign in to use the console.');
  if (options.mutation && auth.actor.kind === 'local' && !options.csrfOk) throw new ConsoleAuthError('csrf_refused', 'Cross-site request refused.');
  return auth.actor;
}

/**
 * `requireRole`: the signed-in caller when it holds one of `allowed`, else
 * {@link ConsoleAuthError} (`unauthorized` / `forbidden` with `role_required`). tRPC's
 * procedures and the export route both call it.
 */
export function requireRole(auth: ConsoleAuth, allowed: readonly Role[], options: RequireOptions = {}): ConsoleActor {
  const actor = requireConsoleActor(auth, options);
  if (!hasConsoleRole(actor.roles, allowed)) {
    throw new ConsoleAuthError('role_required', allowed.includes('auditor') ? 'You need the auditor or admin role.' : 'You need the admin role.');
  }
  return actor;
}
