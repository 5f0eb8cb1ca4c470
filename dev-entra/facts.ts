import type { DemoApp } from './apps';
import type { UserFacts } from './claims';
import type { DemoUser } from './users';

/**
 * Roles and groups a token carries depend on the application it is about: app roles assigned
 * on that app, and groups only where the app registration asks for them. Microsoft Graph
 * (`app` undefined) gets neither, as first-party apps cannot be configured.
 */
export function userFactsOn(user: DemoUser, app: DemoApp | undefined): UserFacts {
  if (!app) return { roles: [], groups: [], acct: false };
  return {
    roles: user.roles.filter((role) => app.appRoles.includes(role)),
    groups: app.groupClaims ? user.groups : [],
    acct: app.groupClaims,
  };
}
