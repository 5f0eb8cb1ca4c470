import { base64url } from 'jose';
import type { DemoUser } from './users';

/**
 * MSAL's `client_info`: base64url JSON `{uid, utid}` naming the user's *home* account, from
 * which MSAL builds `homeAccountId` (`uid.utid`). For a B2B guest that is their object in
 * their home tenant, not the guest object the tokens describe.
 */
export function clientInfo(user: DemoUser): string {
  const home = user.home ? { uid: user.home.oid, utid: user.home.tenantId } : { uid: user.oid, utid: user.tenantId };
  return base64url.encode(JSON.stringify(home));
}
