/**
 * Short words for the reason codes of POST /api/login (DESIGN.md), for the history table,
 * the export and the charts. Pure: the console uses it too. The longer message addressed to
 * the person signing in lives in server/entra/reasons.ts.
 */
export const loginReasonLabels: Record<string, string> = {
  missing_token: 'No token sent',
  malformed_request: 'Unreadable request',
  malformed_token: 'Not a well-formed JWT',
  unsupported_alg: 'Unsupported signing algorithm',
  unknown_key: 'Signed with an unknown key',
  bad_signature: 'Signature does not verify',
  token_expired: 'Token expired',
  token_not_yet_valid: 'Token not valid yet',
  issuer_mismatch: 'Issued by another issuer',
  tenant_mismatch: 'Token of another tenant',
  audience_mismatch: 'Token for another API',
  missing_scope: "Missing this server's scope",
  client_not_allowed: 'Client app not allowed',
  missing_claim: 'Required claim missing',
  token_replayed: 'Token already used',
  user_disabled: 'User disabled',
  group_required: 'Not in a required group',
  request_too_large: 'Request too large',
  too_many_attempts: 'Too many attempts (rate limited)',
  keys_unavailable: 'Signing keys unavailable',
  sso_not_configured: 'SSO not configured',
};

/** Words for a reason code; accepted sign-ins (no reason) read "Accepted". */
export function loginReasonLabel(reason: string | null): string {
  if (reason === null) return 'Accepted';
  return loginReasonLabels[reason] ?? reason;
}
