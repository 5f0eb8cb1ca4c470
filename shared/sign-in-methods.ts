/**
 * Sign-in methods from a v1 token's `amr` claim, in the words auditors read. Pure: the
 * console uses it too. v2 tokens carry no `amr`: their method is "not reported".
 */
export const signInMethodLabels: Record<string, string> = {
  wia: 'Windows integrated (Kerberos / Seamless SSO)',
  wiaormfa: 'Windows integrated or MFA',
  ngcmfa: 'Windows Hello / passkey (MFA)',
  mfa: 'Multi-factor authentication',
  rsa: 'RSA / hardware token',
  otp: 'One-time passcode',
  fed: 'Federated identity provider',
  pwd: 'Password',
  pop: 'Proof of possession',
  sms: 'SMS',
  face: 'Face recognition',
  fido: 'FIDO2 security key',
};

export const NOT_REPORTED = 'not reported';

/** Most telling method first: `["pwd","mfa"]` is an MFA sign-in, `["wia"]` is Seamless SSO. */
const precedence = ['wia', 'wiaormfa', 'ngcmfa', 'fido', 'mfa', 'rsa', 'otp', 'sms', 'face', 'fed', 'pop', 'pwd'];

/** The one method a sign-in is filed under, or null when the token reported none. */
export function primarySignInMethod(amr: readonly string[] | null | undefined): string | null {
  if (!amr || amr.length === 0) return null;
  for (const m of precedence) if (amr.includes(m)) return m;
  return amr[0] ?? null;
}

export function signInMethodLabel(method: string | null): string {
  if (!method) return NOT_REPORTED;
  return signInMethodLabels[method] ?? method;
}
