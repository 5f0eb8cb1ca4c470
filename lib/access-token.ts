/**
 * Where the tRPC link gets the console's bearer token from. The console's MSAL provider
 * registers a source once MSAL is ready; without one (local admin, /setup) requests carry
 * only the HttpOnly cookie.
 */
type TokenSource = () => Promise<string | null>;

let source: TokenSource | null = null;

export function setAccessTokenSource(next: TokenSource | null): void {
  source = next;
}

export async function currentAccessToken(): Promise<string | null> {
  return source ? source() : null;
}
