/** What the common Entra ID claims mean, for the token doctor and the user's claim snapshot. */
export const claimMeanings: Record<string, string> = {
  aud: 'Audience: the API the token is for',
  iss: 'Issuer: who issued the token',
  iat: 'Issued at',
  nbf: 'Not valid before',
  exp: 'Expires at',
  tid: 'Tenant ID',
  oid: 'Object ID of the user (stable identifier)',
  sub: 'Subject (per application)',
  ver: 'Token version',
  scp: 'Delegated scopes',
  roles: 'App roles',
  groups: 'Group object IDs',
  appid: 'Client app ID (v1)',
  azp: 'Client app ID (v2)',
  appidacr: 'Client authentication (v1)',
  azpacr: 'Client authentication (v2)',
  amr: 'How the user signed in',
  upn: 'User principal name',
  unique_name: 'User name (v1)',
  preferred_username: 'User name (v2)',
  name: 'Display name',
  given_name: 'Given name',
  family_name: 'Family name',
  email: 'Email',
  uti: 'Token ID (replay protection)',
  idp: 'Identity provider (guests)',
  acct: 'Account type (0 member, 1 guest)',
  ipaddr: 'IP address at sign-in',
  onprem_sid: 'On-premises security identifier',
  _claim_names: 'Groups overage: groups must be fetched from Graph',
  _claim_sources: 'Where the overage groups can be fetched',
  nonce: 'Nonce (ID tokens)',
  alg: 'Signing algorithm',
  kid: 'Signing key ID',
  x5t: 'Signing key thumbprint',
  typ: 'Type',
};

export const timeClaims = new Set(['iat', 'nbf', 'exp', 'auth_time']);

/** "in 5 minutes" / "3 hours ago" relative to now. */
export function relativeTime(date: Date, now = Date.now()): string {
  const seconds = Math.round((date.getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  const [value, unit] =
    abs < 90
      ? [abs, 'second']
      : abs < 5400
        ? [Math.round(abs / 60), 'minute']
        : abs < 129600
          ? [Math.round(abs / 3600), 'hour']
          : [Math.round(abs / 86400), 'day'];
  const text = `${value} ${unit}${value === 1 ? '' : 's'}`;
  return seconds >= 0 ? `in ${text}` : `${text} ago`;
}
