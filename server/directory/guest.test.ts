import { describe, expect, it } from 'vitest';
import { isGuestUser } from './guest';

const TENANT = '8eaef023-2b34-4da1-9baa-8bc8c9d6a490';

describe('isGuestUser', () => {
  it('tells a guest by acct = 1, by an idp of another tenant or a personal account, or by #EXT# in the UPN', () => {
    expect(isGuestUser({ tenantId: TENANT, username: 'x@fabrikam.com', claims: { acct: 1 } })).toBe(true);
    expect(
      isGuestUser({ tenantId: TENANT, username: 'x@fabrikam.com', claims: { idp: 'https://sts.windows.net/0a1b2c3d-0000-4000-8000-000000000000/' } }),
    ).toBe(true);
    expect(isGuestUser({ tenantId: TENANT, username: 'x@outlook.com', idp: 'live.com' })).toBe(true);
    expect(isGuestUser({ tenantId: TENANT, username: 'x_fabrikam.com#EXT#@contoso.onmicrosoft.com' })).toBe(true);
  });

  it('takes a member for a member: acct 0, no idp, or the idp of the tenant itself', () => {
    expect(isGuestUser({ tenantId: TENANT, username: 'adele@contoso.com', claims: { acct: 0 } })).toBe(false);
    expect(isGuestUser({ tenantId: TENANT, username: 'adele@contoso.com', claims: {} })).toBe(false);
    expect(isGuestUser({ tenantId: TENANT, username: 'adele@contoso.com', claims: { idp: `https://sts.windows.net/${TENANT}/` } })).toBe(false);
  });
});
