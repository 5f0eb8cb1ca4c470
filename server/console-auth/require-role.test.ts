import { describe, expect, it } from 'vitest';
import type { ConsoleActor, ConsoleAuth } from './authenticate';
import { ConsoleAuthError } from './errors';
import { requireConsoleActor, requireRole } from './require-role';
import { consoleRolesOf } from './roles';

const ADMIN_GROUP = 'aaaaaaaa-0000-4000-8000-000000000001';
const AUDITOR_GROUP = 'aaaaaaaa-0000-4000-8000-000000000002';
const settings = { adminGroupIds: [ADMIN_GROUP], auditorGroupIds: [AUDITOR_GROUP] };

const actor = (roles: ConsoleActor['roles'], kind: ConsoleActor['kind'] = 'entra'): ConsoleAuth => ({
  actor: { kind, name: 'n', id: 'i', displayName: null, roles },
  refusal: null,
});

function refusalOf(fn: () => unknown): { kind: string; reason: string; message: string } | 'passed' {
  try {
    fn();
    return 'passed';
  } catch (err) {
    if (!(err instanceof ConsoleAuthError)) throw err;
    return { kind: err.kind, reason: err.reason, message: err.message };
  }
}

describe('console roles', () => {
  it('come from app roles and from configured groups (group IDs compared case-insensitively)', () => {
    expect(consoleRolesOf({ roles: ['IceSso.Admin'], groups: [] }, settings)).toEqual({ roles: ['admin'], groupsUnresolved: false });
    expect(consoleRolesOf({ roles: [], groups: [AUDITOR_GROUP.toUpperCase()] }, settings)).toEqual({ roles: ['auditor'], groupsUnresolved: false });
    expect(consoleRolesOf({ roles: ['IceSso.Auditor'], groups: [ADMIN_GROUP] }, settings).roles.sort()).toEqual(['admin', 'auditor']);
    expect(consoleRolesOf({ roles: ['Other.Role'], groups: ['bbbbbbbb-0000-4000-8000-000000000009'] }, settings)).toEqual({
      roles: [],
      groupsUnresolved: false,
    });
  });

  it('on groups overage come from app roles only, and say the group roles were not confirmed when role groups are configured', () => {
    expect(consoleRolesOf({ roles: [], groups: 'overage' }, settings)).toEqual({ roles: [], groupsUnresolved: true });
    expect(consoleRolesOf({ roles: ['IceSso.Auditor'], groups: 'overage' }, settings)).toEqual({ roles: ['auditor'], groupsUnresolved: true });
    expect(consoleRolesOf({ roles: [], groups: 'overage' }, { adminGroupIds: [], auditorGroupIds: [] })).toEqual({ roles: [], groupsUnresolved: false });
  });
});

describe('requireRole', () => {
  it('lets in a caller holding one of the allowed roles and refuses the others with forbidden role_required', () => {
    expect(requireRole(actor(['auditor']), ['auditor', 'admin']).roles).toEqual(['auditor']);
    expect(refusalOf(() => requireRole(actor(['auditor']), ['admin']))).toEqual({
      kind: 'forbidden',
      reason: 'role_required',
      message: 'You need the admin role.',
    });
    expect(refusalOf(() => requireRole(actor([]), ['auditor', 'admin']))).toEqual({
      kind: 'forbidden',
      reason: 'role_required',
      message: 'You need the auditor or admin role.',
    });
  });

  it('refuses no credential with unauthorized sign_in_required, and a refused credential with its own reason', () => {
    expect(refusalOf(() => requireRole({ actor: null, refusal: null }, ['admin'], { signInMessage: 'Sign in to export.' }))).toEqual({
      kind: 'unauthorized',
      reason: 'sign_in_required',
      message: 'Sign in to export.',
    });
    const expired = new ConsoleAuthError('token_expired', 'token_expired: The token has expired.');
    expect(refusalOf(() => requireRole({ actor: null, refusal: expired }, ['admin']))).toMatchObject({ kind: 'unauthorized', reason: 'token_expired' });
  });

  it('refuses a cookie-session mutation without the CSRF check with forbidden csrf_refused, and only that', () => {
    expect(refusalOf(() => requireConsoleActor(actor(['admin'], 'local'), { mutation: true, csrfOk: false }))).toMatchObject({
      kind: 'forbidden',
      reason: 'csrf_refused',
    });
    expect(refusalOf(() => requireConsoleActor(actor(['admin'], 'local'), { mutation: true, csrfOk: true }))).toBe('passed');
    expect(refusalOf(() => requireConsoleActor(actor(['admin'], 'local'), { mutation: false, csrfOk: false }))).toBe('passed');
    expect(refusalOf(() => requireConsoleActor(actor(['admin'], 'entra'), { mutation: true, csrfOk: false }))).toBe('passed');
  });
});
