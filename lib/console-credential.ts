'use client';

/**
 * Which credential the console presents when a tab holds both: the local admin's cookie or
 * the Microsoft account in MSAL's cache (the server prefers a bearer token, so the choice is
 * made here). Signing in locally or through a setup link picks the cookie; the console's
 * "Sign in with Microsoft Entra ID" picks MSAL; unset (e.g. after a test sign-in at /sso),
 * an MSAL account is used when there is one.
 */
const KEY = 'ice-sso.console-credential';

export type ConsoleCredential = 'local' | 'entra';

export function preferConsoleCredential(credential: ConsoleCredential | null): void {
  if (credential) sessionStorage.setItem(KEY, credential);
  else sessionStorage.removeItem(KEY);
}

export function usesLocalCredential(): boolean {
  return sessionStorage.getItem(KEY) === 'local';
}
