import { GROUP_IDS, PROJECT_GROUPS } from './groups';
import { ADMIN_ROLE, AUDITOR_ROLE, DEMO_DOMAIN, DEMO_TENANT_ID, OTHER_DOMAIN, OTHER_TENANT_ID } from './ids';

/** A user object of one directory, with what tokens say about it. */
export interface DemoUser {
  readonly key: string;
  readonly displayName: string;
  readonly givenName: string;
  readonly surname: string;
  /** The userPrincipalName in `tenantId`'s directory (a guest's has the `#EXT#` form). */
  readonly upn: string;
  readonly mail: string;
  /** Object ID in `tenantId`'s directory. */
  readonly oid: string;
  /** The directory holding this object: the resource tenant, for a guest. */
  readonly tenantId: string;
  /** For a B2B guest: the tenant that authenticates them, and their object there. */
  readonly home?: { readonly tenantId: string; readonly oid: string; readonly upn: string };
  /** Authentication methods the sign-in uses (the v1 `amr` claim). */
  readonly amr: readonly string[];
  /** App roles assigned on the ICE Server registration. */
  readonly roles: readonly string[];
  readonly groups: readonly string[];
  /** Set for accounts synchronised from on-premises Active Directory. */
  readonly onPremSid?: string;
  /** One line for the sign-in page and the README. */
  readonly description: string;
}

function member(u: Omit<DemoUser, 'tenantId' | 'mail'> & { tenantId?: string }): DemoUser {
  return { ...u, tenantId: u.tenantId ?? DEMO_TENANT_ID, mail: u.upn };
}

/** The demo users, by key. Keys name what each user is for, so tests read as sentences. */
export const DEMO_USERS = {
  password: member({
    key: 'password',
    displayName: 'Alice Andersen',
    givenName: 'Alice',
    surname: 'Andersen',
    upn: `alice@${DEMO_DOMAIN}`,
    oid: 'c3f5a7e1-2b4d-4f68-9a0c-1e3b5d7f9a11',
    amr: ['pwd'],
    roles: [],
    groups: [GROUP_IDS.dispatch],
    description: 'Password sign-in',
  }),
  mfa: member({
    key: 'mfa',
    displayName: 'Megan Bowen',
    givenName: 'Megan',
    surname: 'Bowen',
    upn: `megan@${DEMO_DOMAIN}`,
    oid: '4a8e2c6f-1d3b-4e5a-8c7d-9f0b2d4e6a22',
    amr: ['pwd', 'mfa'],
    roles: [],
    groups: [GROUP_IDS.fieldOps, GROUP_IDS.supervisors],
    description: 'Password and multi-factor authentication',
  }),
  seamless: member({
    key: 'seamless',
    displayName: 'Diego Siciliani',
    givenName: 'Diego',
    surname: 'Siciliani',
    upn: `diego@${DEMO_DOMAIN}`,
    oid: '7b1d3f5a-9c2e-4a6b-8d0f-2a4c6e8b0c33',
    amr: ['wia'],
    roles: [],
    groups: [GROUP_IDS.fieldOps],
    onPremSid: 'S-1-5-21-1004336348-1177238915-682003330-1107',
    description: 'Seamless SSO from a domain-joined Windows PC',
  }),
  overage: member({
    key: 'overage',
    displayName: 'Olivia Ortega',
    givenName: 'Olivia',
    surname: 'Ortega',
    upn: `olivia@${DEMO_DOMAIN}`,
    oid: 'e2a4c6e8-0b1d-4f3a-9c5e-7a9b1d3f5e44',
    amr: ['pwd'],
    roles: [],
    groups: [GROUP_IDS.dispatch, ...PROJECT_GROUPS.map((g) => g.id)],
    description: `Member of ${PROJECT_GROUPS.length + 1} groups (groups overage)`,
  }),
  guest: {
    key: 'guest',
    displayName: 'Bob Brown',
    givenName: 'Bob',
    surname: 'Brown',
    upn: `bob_${OTHER_DOMAIN}#EXT#@${DEMO_DOMAIN}`,
    mail: `bob@${OTHER_DOMAIN}`,
    oid: '5d7f9b1d-3e5a-4c7e-9a1b-3c5d7e9f1a55',
    tenantId: DEMO_TENANT_ID,
    home: { tenantId: OTHER_TENANT_ID, oid: '9f1b3d5f-7a9c-4e1a-8b3d-5f7a9c1e3b56', upn: `bob@${OTHER_DOMAIN}` },
    amr: ['pwd'],
    roles: [],
    groups: [GROUP_IDS.dispatch],
    description: 'B2B guest from Fabrikam',
  },
  admin: member({
    key: 'admin',
    displayName: 'Adele Vance',
    givenName: 'Adele',
    surname: 'Vance',
    upn: `adele@${DEMO_DOMAIN}`,
    oid: '2c4e6a8c-0e2a-4b4c-8e6a-0c2e4a6c8e66',
    amr: ['pwd', 'mfa'],
    roles: [ADMIN_ROLE],
    groups: [GROUP_IDS.supervisors],
    description: 'Console admin',
  }),
  auditor: member({
    key: 'auditor',
    displayName: 'Alex Wilber',
    givenName: 'Alex',
    surname: 'Wilber',
    upn: `alex@${DEMO_DOMAIN}`,
    oid: '8e0a2c4e-6a8c-4d0e-9a2c-4e6a8c0e2a77',
    amr: ['pwd'],
    roles: [AUDITOR_ROLE],
    groups: [],
    description: 'Console auditor',
  }),
  plain: member({
    key: 'plain',
    displayName: 'Pat Taylor',
    givenName: 'Pat',
    surname: 'Taylor',
    upn: `pat@${DEMO_DOMAIN}`,
    oid: '6a8c0e2a-4c6e-4f8a-8c0e-2a4c6e8a0c88',
    amr: ['pwd'],
    roles: [],
    groups: [],
    description: 'No app role, no group',
  }),
  fabrikam: member({
    key: 'fabrikam',
    displayName: 'Frank Fischer',
    givenName: 'Frank',
    surname: 'Fischer',
    upn: `frank@${OTHER_DOMAIN}`,
    oid: '1b3d5f7a-9c1e-4a3b-9d5f-7a9c1e3b5d99',
    tenantId: OTHER_TENANT_ID,
    amr: ['pwd'],
    roles: [],
    groups: [],
    description: 'Member of the other tenant (Fabrikam)',
  }),
} as const satisfies Record<string, DemoUser>;

export type DemoUserKey = keyof typeof DEMO_USERS;

export const DEMO_USER_LIST: readonly DemoUser[] = Object.values(DEMO_USERS);

/** The user a bare `mint*()` call signs for. */
export const DEFAULT_USER_KEY: DemoUserKey = 'password';

export function userByKey(key: string): DemoUser | undefined {
  return DEMO_USER_LIST.find((u) => u.key === key);
}

/** Sign-in names a login_hint may carry: the UPN, the mail address, or a guest's home UPN. */
export function userByHint(hint: string, tenantId: string | undefined): DemoUser | undefined {
  const h = hint.trim().toLowerCase();
  return DEMO_USER_LIST.find(
    (u) => (tenantId === undefined || u.tenantId === tenantId) && [u.upn, u.mail, u.home?.upn].some((name) => name?.toLowerCase() === h),
  );
}

/** The name Entra shows and puts in `preferred_username`/`unique_name`: a guest's home sign-in name. */
export function signInName(user: DemoUser): string {
  return user.home?.upn ?? user.upn;
}
