/**
 * Fixed identifiers of the emulated directory. They are constants so that docs, tests and
 * the console can name them; none of them exists in a real Microsoft cloud.
 */

/** The tenant that owns the ICE Server app registration (Contoso). */
export const DEMO_TENANT_ID = '8eaef023-2b34-4da1-9baa-8bc8c9d6a490';
/** A second tenant (Fabrikam): the guest user's home, and the source of cross-tenant tokens. */
export const OTHER_TENANT_ID = '3c1e0b1a-6f8d-4c52-9d2e-7a4b5c6d7e8f';

export const DEMO_DOMAIN = 'contoso.example';
export const OTHER_DOMAIN = 'fabrikam.example';

/** The ICE Server registration: an API (`api://<id>`) and the SPA client of the web page and console. */
export const DEMO_CLIENT_ID = '6731de76-14a6-49ae-97bc-6eba6914391e';
/** Another registered client: the ICE mobile app (public client, native redirect URIs). */
export const OTHER_CLIENT_ID = 'b1f3c9e2-5a47-4d8e-9c21-0e6f7a8b9c0d';
/** Microsoft Graph's well-known application ID, the audience of tokens without an API scope. */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

export const DEMO_APP_ID_URI = `api://${DEMO_CLIENT_ID}`;
/** The delegated scope the ICE API exposes. */
export const DEMO_API_SCOPE = 'UserProfile.ReadWrite';

/** App roles defined on the ICE Server registration. */
export const ADMIN_ROLE = 'IceSso.Admin';
export const AUDITOR_ROLE = 'IceSso.Auditor';

/** Entra puts at most this many groups in a JWT; above it, the token carries an overage claim instead. */
export const GROUPS_OVERAGE_LIMIT = 200;
