import { DEMO_TENANT_ID } from './ids';
import { groupById } from './groups';
import type { DemoGroup } from './groups';
import { DEMO_USER_LIST } from './users';
import type { DemoUser } from './users';

/**
 * Every demo user's sessions count as valid from this instant until someone revokes them, as a
 * user created before the emulator started would have. Graph reports seconds, no fraction.
 */
export const INITIAL_SESSIONS_VALID_FROM = '2026-01-05T08:00:00Z';

/** What an administrator can change about a user in Entra while the emulator runs. */
export interface UserRecord {
  accountEnabled: boolean;
  /** ISO 8601 in Graph's format (`2026-01-05T08:00:00Z`); `revokeSignInSessions` sets it to now. */
  signInSessionsValidFromDateTime: string;
  /** Object IDs of the groups the user is a member of (directly; the demo has no nested groups). */
  groups: string[];
}

/** Graph's date-time format: UTC with whole seconds. */
export function graphDateTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** Thrown when a directory change names a user or group the emulator does not have. */
export class DirectoryError extends Error {
  readonly code = 'ERR_DEV_ENTRA_DIRECTORY';
}

/** The mutable part of the directory: account state and group memberships, per emulator instance. */
export class Directory {
  private readonly records = new Map<string, UserRecord>();

  constructor() {
    this.reset();
  }

  reset(): void {
    for (const user of DEMO_USER_LIST) {
      this.records.set(user.key, { accountEnabled: true, signInSessionsValidFromDateTime: INITIAL_SESSIONS_VALID_FROM, groups: [...user.groups] });
    }
  }

  record(user: DemoUser): UserRecord {
    const record = this.records.get(user.key);
    if (!record) throw new DirectoryError(`unknown demo user '${user.key}'`);
    return record;
  }

  /** The user as tokens and Graph see them now: the static profile with the current memberships. */
  live(user: DemoUser): DemoUser {
    return { ...user, groups: [...this.record(user).groups] };
  }

  /** A user of `tenantId`'s directory by object ID or userPrincipalName (both case-insensitive), as Graph's `/users/{id}` accepts. */
  find(tenantId: string, idOrUpn: string): DemoUser | undefined {
    const wanted = idOrUpn.toLowerCase();
    return DEMO_USER_LIST.find((u) => u.tenantId === tenantId && (u.oid === wanted || u.upn.toLowerCase() === wanted));
  }

  /** A user by demo key, object ID or UPN in any tenant: what the control API accepts. */
  resolve(reference: string): DemoUser {
    const wanted = reference.toLowerCase();
    const user = DEMO_USER_LIST.find((u) => u.key === reference || u.oid === wanted || u.upn.toLowerCase() === wanted);
    if (!user) throw new DirectoryError(`unknown demo user '${reference}'`);
    return user;
  }

  /** The groups `user` is a member of, in a stable order (the directory's). */
  groupsOf(user: DemoUser): DemoGroup[] {
    return this.record(user)
      .groups.map((id) => groupById(id))
      .filter((g): g is DemoGroup => g !== undefined);
  }

  /** Adds and removes memberships; group IDs must name demo groups (all of them live in Contoso). */
  changeMemberships(user: DemoUser, change: { add?: readonly string[]; remove?: readonly string[] }): string[] {
    const record = this.record(user);
    if (user.tenantId !== DEMO_TENANT_ID && (change.add?.length ?? 0) > 0) throw new DirectoryError('demo groups live in Contoso; this user is not there');
    for (const id of [...(change.add ?? []), ...(change.remove ?? [])]) {
      if (!groupById(id.toLowerCase())) throw new DirectoryError(`unknown group '${id}'`);
    }
    const remove = new Set((change.remove ?? []).map((id) => id.toLowerCase()));
    const kept = record.groups.filter((id) => !remove.has(id));
    for (const id of change.add ?? []) if (!kept.includes(id.toLowerCase())) kept.push(id.toLowerCase());
    record.groups = kept;
    return [...kept];
  }
}
