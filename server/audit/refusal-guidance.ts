import 'server-only';
/**
 * What an auditor should check for each refusal reason: the end user's message says "sign
 * in again"; this says where the cause is and whom to ask. Pure: the console shows it.
 */
export const refusalGuidance: Record<string, string> = {
  missing_token: 'The client sent no token. A client bug or a probe; check the user agent and IP address.',
  malformed_request: 'The request could not be read. A client bug or a probe; check the user agent and IP address.',
  malformed_token: 'What was sent is not a JWT. A client bug, or someone trying the endpoint by hand.',
  unsupported_alg: 'The token is not RS256. Entra ID never issues such access tokens: treat as forged until shown otherwise.',
  unknown_key: "The signing key is not in the tenant's key set. A token from another tenant or cloud, or forged; see Tenant and Client app.",
  bad_signature: 'The signature does not verify: the token was altered or forged. Look for other attempts from the same IP address.',
  token_expired: "An old token was sent. Usually harmless (a device asleep, a wrong clock); many from one user point at the client's token refresh.",
  token_not_yet_valid: 'The device clock is ahead of the server. Check the clock skew setting and the device time.',
  issuer_mismatch: 'Issued by another tenant or cloud than the configured one. Check Tenant against SSO settings.',
  tenant_mismatch: 'A token of another tenant. Check Tenant against SSO settings; a guest should sign in through this tenant.',
  audience_mismatch: 'The token was requested for another API. The client app asks for the wrong scope; see Client app.',
  missing_scope: "The token lacks this server's scope. The client app's API permissions or requested scope need fixing.",
  client_not_allowed: 'The requesting app is not in Allowed client apps. Add its client ID in SSO settings if it is one of yours.',
  missing_claim: "The token lacks a claim this server needs (see the message). Check the app registration's token configuration.",
  token_replayed: 'This token was already used once. A client retrying with the same token, or a stolen token being replayed.',
  user_disabled: 'An administrator disabled this user here. See the change log for who did it and why.',
  group_required:
    'The user is in none of the required groups. Compare the groups required with the groups held below; add the user to a group in Entra ID, or change Required groups in SSO settings.',
  groups_unresolved: 'The token had too many groups to list (overage) and Microsoft Graph could not be asked. Check the Graph settings and secret.',
  request_too_large: 'The request was larger than any real token. A client bug or a probe.',
  too_many_attempts: 'Too many refused attempts from this address in a minute. Look at the other refusals from this IP address.',
  keys_unavailable: "The server could not load the tenant's signing keys. A network or proxy problem on the server side, not the user's.",
  sso_not_configured: 'SSO was off or incomplete at the time. See the settings versions in force then.',
  database_unavailable: "The server could not write to its database at the time. A server problem, not the user's.",
};

export function refusalGuidanceOf(reason: string | null): string | null {
  return reason ? (refusalGuidance[reason] ?? null) : null;
}
