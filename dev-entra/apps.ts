import { ADMIN_ROLE, AUDITOR_ROLE, DEMO_API_SCOPE, DEMO_APP_ID_URI, DEMO_CLIENT_ID, OTHER_CLIENT_ID } from './ids';

/** An app registration, reduced to what sign-in and token issuance look at. */
export interface DemoApp {
  readonly clientId: string;
  readonly displayName: string;
  /** Exact redirect URIs registered besides the default loopback rule (see redirect-uris.ts). */
  readonly redirectUris: readonly string[];
  /** Whether loopback `/sso` pages are registered as SPA redirect URIs (PKCE required on them). */
  readonly spaLoopback: boolean;
  readonly api?: { readonly appIdUri: string; readonly scopes: readonly string[] };
  readonly appRoles: readonly string[];
  /** `groupMembershipClaims: SecurityGroup` plus the `acct` optional claim, on this app's tokens. */
  readonly groupClaims: boolean;
}

/** Entra's generic redirect URI for native (desktop, mobile) public clients. */
export const NATIVE_CLIENT_PATH = '/common/oauth2/nativeclient';
const MICROSOFT_NATIVE_CLIENT = `https://login.microsoftonline.com${NATIVE_CLIENT_PATH}`;

export const DEMO_APPS: readonly DemoApp[] = [
  {
    clientId: DEMO_CLIENT_ID,
    displayName: 'ICE Server',
    // Desktop and mobile ICE clients sign in with this registration too, through the native redirect.
    redirectUris: [MICROSOFT_NATIVE_CLIENT],
    spaLoopback: true,
    api: { appIdUri: DEMO_APP_ID_URI, scopes: [DEMO_API_SCOPE] },
    appRoles: [ADMIN_ROLE, AUDITOR_ROLE],
    groupClaims: true,
  },
  {
    clientId: OTHER_CLIENT_ID,
    displayName: 'ICE Mobile',
    redirectUris: [MICROSOFT_NATIVE_CLIENT, 'msauth.com.example.icemobile://auth'],
    spaLoopback: false,
    appRoles: [],
    groupClaims: false,
  },
];

export function appByClientId(clientId: string): DemoApp | undefined {
  const lower = clientId.toLowerCase();
  return DEMO_APPS.find((a) => a.clientId === lower);
}
