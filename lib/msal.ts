'use client';
import {
  BrowserCacheLocation,
  createStandardPublicClientApplication,
  InteractionRequiredAuthError,
  type AccountInfo,
  type IPublicClientApplication,
} from '@azure/msal-browser';
import type { SsoMetaDocument } from '@/server/settings/document';
import { consoleState } from './return-path';
import { preferConsoleCredential } from './console-credential';

/** What MSAL needs to talk to the configured tenant: from /sso-meta or from `auth.config`. */
export interface EntraClientConfig {
  clientId: string;
  authority: string;
  knownAuthorities: string[];
  scopes: string[];
  domainHint?: string | null;
}

/** The registered SPA redirect URI of this server: every MSAL response lands on /sso. */
export const redirectUri = () => `${window.location.origin}/sso`;

/** /sso-meta → MSAL settings: the authority is the authorization URL without its OAuth path. */
export function entraConfigFromMeta(meta: SsoMetaDocument): EntraClientConfig {
  const authority = meta.authorizationUrl.replace(/\/oauth2\/v2\.0\/authorize\/?$/, '');
  return {
    clientId: meta.clientId,
    authority,
    knownAuthorities: [new URL(authority).host],
    scopes: [meta.scope],
    domainHint: meta.domainHint ?? null,
  };
}

const instances = new Map<string, Promise<IPublicClientApplication>>();

/**
 * One initialized MSAL instance per configuration and page load. Tokens live in
 * sessionStorage: they end with the tab and are shared by /sso and the console.
 */
export function getMsal(config: EntraClientConfig): Promise<IPublicClientApplication> {
  const key = JSON.stringify([config.clientId, config.authority, config.knownAuthorities]);
  let instance = instances.get(key);
  if (!instance) {
    instance = createStandardPublicClientApplication({
      auth: {
        clientId: config.clientId,
        authority: config.authority,
        knownAuthorities: config.knownAuthorities,
        redirectUri: redirectUri(),
        postLogoutRedirectUri: redirectUri(),
      },
      cache: { cacheLocation: BrowserCacheLocation.SessionStorage },
    });
    instances.set(key, instance);
  }
  return instance;
}

/** The signed-in account MSAL should use: the active one, else the only one. */
export function activeAccount(msal: IPublicClientApplication): AccountInfo | null {
  return msal.getActiveAccount() ?? msal.getAllAccounts()[0] ?? null;
}

/**
 * An access token for this server's API, from MSAL's cache or refreshed silently. When
 * the user must interact again, MSAL redirects (the console path returns in `state`) and
 * this never resolves: the page is being left.
 */
export async function acquireConsoleToken(msal: IPublicClientApplication, config: EntraClientConfig): Promise<string | null> {
  const account = activeAccount(msal);
  if (!account) return null;
  try {
    const result = await msal.acquireTokenSilent({ scopes: config.scopes, account });
    return result.accessToken;
  } catch (err) {
    if (err instanceof InteractionRequiredAuthError) {
      await msal.acquireTokenRedirect({
        scopes: config.scopes,
        account,
        state: consoleState(window.location.pathname + window.location.search),
      });
      return new Promise<never>(() => {});
    }
    throw err;
  }
}

/**
 * Starts the Microsoft sign-in for the console; the answer comes back through /sso. No
 * domain hint here: console admins may use accounts outside the hinted domain.
 */
export function consoleSignIn(msal: IPublicClientApplication, config: EntraClientConfig, returnTo: string): Promise<void> {
  preferConsoleCredential('entra');
  return msal.loginRedirect({ scopes: config.scopes, state: consoleState(returnTo), prompt: 'select_account' });
}

/** Where /sso sends the browser after a sign-out that the console started. */
export const AFTER_SIGN_OUT_KEY = 'ice-sso.after-sign-out';

/** Ends the Microsoft session too (shared computers), coming back through /sso. */
export async function msalSignOut(msal: IPublicClientApplication, then: string | null): Promise<void> {
  const account = activeAccount(msal);
  if (!account) {
    await msal.clearCache();
    if (then) window.location.assign(then);
    return;
  }
  sessionStorage.setItem(AFTER_SIGN_OUT_KEY, then ?? '');
  await msal.logoutRedirect({ account });
}
