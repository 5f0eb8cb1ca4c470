import 'server-only';
/**
 * Is this user a B2B guest (an account of another tenant, or a personal Microsoft account)?
 * Pure: also used for the list, from two claims read in SQL. Signals, from Microsoft's token
 * reference: the optional claim `acct` is 1 for guests; `idp` is present only when the account
 * is not of the issuing tenant (another tenant's `https://sts.windows.net/<tid>/`, or `live.com`);
 * a guest's UPN in the resource tenant carries `#EXT#`.
 */
export function isGuestUser(u: {
  tenantId: string;
  username: string | null;
  email?: string | null;
  claims?: Record<string, unknown> | null;
  acct?: unknown;
  idp?: unknown;
}): boolean {
  const acct = u.acct ?? u.claims?.acct;
  const idp = u.idp ?? u.claims?.idp;
  if (acct === 1 || acct === '1') return true;
  if (typeof idp === 'string' && idp !== '' && !idp.toLowerCase().includes(u.tenantId.toLowerCase())) return true;
  return [u.username, u.email].some((v) => typeof v === 'string' && v.toLowerCase().includes('#ext#'));
}
