/**
 * Reason codes of POST /api/login (docs/contract.md): HTTP status, OAuth error, a short label (history
 * table, export, filters) and the message for the person signing in. The one table of them:
 * pure, so the /sso page, the token doctor and the console show the same words.
 */
export const reasons = {
  missing_token: {
    label: 'No token sent',
    status: 400,
    error: 'invalid_request',
    message: 'No token was sent. Send the Entra ID access token as "Authorization: Bearer <token>".',
  },
  malformed_request: {
    label: 'Unreadable request',
    status: 400,
    error: 'invalid_request',
    message: 'The request could not be read. Send the token in the Authorization header, or as JSON {"token": "..."}.',
  },
  malformed_token: { label: 'Not a well-formed JWT', status: 401, error: 'invalid_token', message: 'This is not a well-formed JWT.' },
  unsupported_alg: {
    label: 'Unsupported signing algorithm',
    status: 401,
    error: 'invalid_token',
    message: 'The token is not signed with RS256, the only algorithm Entra ID uses for access tokens.',
  },
  unknown_key: {
    label: 'Signed with an unknown key',
    status: 401,
    error: 'invalid_token',
    message: "The token was signed with a key that is not in the tenant's published key set.",
  },
  bad_signature: {
    label: 'Signature does not verify',
    status: 401,
    error: 'invalid_token',
    message: 'The token signature does not verify: it was altered or not signed by Entra ID.',
  },
  token_expired: { label: 'Token expired', status: 401, error: 'invalid_token', message: 'The token has expired. Sign in again to get a fresh token.' },
  token_not_yet_valid: {
    label: 'Token not valid yet',
    status: 401,
    error: 'invalid_token',
    message: 'The token is not valid yet (nbf is in the future). Check the device clock.',
  },
  issuer_mismatch: { label: 'Issued by another issuer', status: 401, error: 'invalid_token', message: 'The token was not issued by the configured tenant.' },
  tenant_mismatch: { label: 'Token of another tenant', status: 401, error: 'invalid_token', message: 'The token belongs to another tenant.' },
  audience_mismatch: {
    label: 'Token for another API',
    status: 401,
    error: 'invalid_token',
    message: 'The token was issued for another API, not for this server.',
  },
  missing_scope: { label: "Missing this server's scope", status: 401, error: 'invalid_token', message: "The token does not carry this server's scope." },
  client_not_allowed: {
    label: 'Client app not allowed',
    status: 401,
    error: 'invalid_token',
    message: 'The app that requested the token is not allowed to sign in here.',
  },
  missing_claim: { label: 'Required claim missing', status: 401, error: 'invalid_token', message: 'The token lacks a claim this server needs.' },
  token_replayed: { label: 'Token already used', status: 401, error: 'invalid_token', message: 'This token was already used to sign in. Request a new token.' },
  user_disabled: {
    label: 'User disabled',
    status: 403,
    error: 'access_denied',
    message: 'This account is disabled on this server. Contact your administrator.',
  },
  group_required: { label: 'Not in a required group', status: 403, error: 'access_denied', message: 'You are not in a group that may sign in to this server.' },
  groups_unresolved: {
    label: 'Groups could not be confirmed (overage)',
    status: 403,
    error: 'access_denied',
    message: 'You are in too many groups to fit in the token, and this server could not confirm your memberships. Contact your administrator.',
  },
  request_too_large: { label: 'Request too large', status: 413, error: 'invalid_request', message: 'The request is too large.' },
  too_many_attempts: {
    label: 'Too many attempts (rate limited)',
    status: 429,
    error: 'rate_limited',
    message: 'Too many refused sign-in attempts from this address. Try again later.',
  },
  keys_unavailable: {
    label: 'Signing keys unavailable',
    status: 503,
    error: 'temporarily_unavailable',
    message: "The tenant's signing keys cannot be loaded right now. Try again shortly.",
  },
  database_unavailable: {
    label: 'Database unavailable',
    status: 503,
    error: 'temporarily_unavailable',
    message: 'The server cannot use its database right now. Try again shortly.',
  },
  server_error: {
    label: 'Server error',
    status: 500,
    error: 'server_error',
    message: 'Something went wrong on the server. Try again; if it persists, give your administrator the request ID.',
  },
  sso_not_configured: {
    label: 'SSO not configured',
    status: 503,
    error: 'sso_not_configured',
    message: 'Sign-in with Entra ID is not configured on this server.',
  },
} as const;

export type ReasonCode = keyof typeof reasons;
export const reasonCodes = Object.keys(reasons) as ReasonCode[];

export function isReasonCode(value: unknown): value is ReasonCode {
  return typeof value === 'string' && Object.hasOwn(reasons, value);
}
