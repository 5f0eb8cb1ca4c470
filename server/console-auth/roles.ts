import 'server-only';
import type { TokenSubject } from '@/server/entra/claims';
import { confirmedGroupIds } from '@/server/entra/policy';
import type { EffectiveSettings } from '@/server/settings/derive';

export type Role = 'admin' | 'auditor';

/** The Entra app roles that grant a console role (docs/console.md). */
export const ADMIN_APP_ROLE = 'IceSso.Admin';
export const AUDITOR_APP_ROLE = 'IceSso.Auditor';

export interface ConsoleRoles {
  roles: Role[];
  /**
   * The token had groups overage and role groups are configured: group-based roles could not
   * be confirmed, so none were granted (stored memberships never grant a role).
   */
  groupsUnresolved: boolean;
}

/**
 * The one place console roles are derived: from the token's app roles, and from its groups
 * against the configured admin and auditor groups, under the overage rule of
 * server/entra/policy.ts (on overage only app roles count).
 */
export function consoleRolesOf(subject: Pick<TokenSubject, 'roles' | 'groups'>, s: Pick<EffectiveSettings, 'adminGroupIds' | 'auditorGroupIds'>): ConsoleRoles {
  const roles = new Set<Role>();
  if (subject.roles.includes(ADMIN_APP_ROLE)) roles.add('admin');
  if (subject.roles.includes(AUDITOR_APP_ROLE)) roles.add('auditor');
  const groups = confirmedGroupIds(subject.groups);
  if (groups?.some((g) => s.adminGroupIds.includes(g))) roles.add('admin');
  if (groups?.some((g) => s.auditorGroupIds.includes(g))) roles.add('auditor');
  return { roles: [...roles], groupsUnresolved: groups === null && s.adminGroupIds.length + s.auditorGroupIds.length > 0 };
}

/** Whether a caller with `held` roles may do what needs one of `allowed`. */
export function hasConsoleRole(held: readonly Role[], allowed: readonly Role[]): boolean {
  return held.some((r) => allowed.includes(r));
}
