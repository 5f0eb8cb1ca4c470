/**
 * The SSO settings fields, their kinds and defaults. Pure data: shared by the server,
 * the CLI and the console (no server-only imports here).
 */
export const clouds = ['public', 'usgov', 'china', 'custom'] as const;
export type Cloud = (typeof clouds)[number];

/** Authority host of each sovereign cloud. `custom` has none: the admin gives it. */
export const cloudAuthorityHosts: Record<Exclude<Cloud, 'custom'>, string> = {
  public: 'https://login.microsoftonline.com',
  usgov: 'https://login.microsoftonline.us',
  china: 'https://login.partner.microsoftonline.cn',
};

/** Microsoft Graph host of each sovereign cloud (national cloud deployments). `custom` has none: the admin gives it. */
export const cloudGraphHosts: Record<Exclude<Cloud, 'custom'>, string> = {
  public: 'https://graph.microsoft.com',
  usgov: 'https://graph.microsoft.us',
  china: 'https://microsoftgraph.chinacloudapi.cn',
};

/**
 * The write-only Microsoft Graph credential: never part of the settings document (so never in
 * versions, diffs, /sso-meta or exports); stored encrypted beside it, shown as set or not set.
 */
export const graphCredentialKeys = ['graphClientSecret', 'graphCertificate'] as const;
export type GraphCredentialKey = (typeof graphCredentialKeys)[number];

export const DEFAULT_SCOPE_NAME = 'UserProfile.ReadWrite';

export type FieldKind = 'boolean' | 'enum' | 'guid' | 'url' | 'string' | 'int' | 'guidList';

export interface FieldInfo {
  kind: FieldKind;
  /** Derived from the cloud and IDs unless overridden; `null` (or an empty value) means "derived". */
  derived?: boolean;
  values?: readonly string[];
  min?: number;
  max?: number;
  label: string;
  help: string;
}

export const settingsFields = {
  enabled: { kind: 'boolean', label: 'SSO enabled', help: 'Publish /sso-meta and accept Entra ID sign-ins.' },
  cloud: { kind: 'enum', values: clouds, label: 'Cloud', help: 'Which Entra ID cloud the tenant lives in.' },
  authorityHost: {
    kind: 'url',
    derived: true,
    label: 'Authority host',
    help: 'Sign-in host, e.g. https://login.microsoftonline.com. Required for a custom cloud.',
  },
  tenantId: { kind: 'guid', label: 'Tenant ID', help: 'Directory (tenant) ID of your Entra ID tenant.' },
  clientId: { kind: 'guid', label: 'Client ID', help: 'Application (client) ID of the ICE Server app registration.' },
  audience: { kind: 'string', derived: true, label: 'Audience', help: 'Application ID URI of the API; default api://<clientId>.' },
  scope: { kind: 'string', derived: true, label: 'Scope', help: '<audience>/<scope name>; tokens must carry the scope name in scp.' },
  redirectUrl: { kind: 'url', derived: true, label: 'Redirect URL (native clients)', help: 'Default <authorityHost>/common/oauth2/nativeclient.' },
  authorizationUrl: { kind: 'url', derived: true, label: 'Authorization URL', help: 'Default <authorityHost>/<tenantId>/oauth2/v2.0/authorize.' },
  tokenUrl: { kind: 'url', derived: true, label: 'Token URL', help: 'Default <authorityHost>/<tenantId>/oauth2/v2.0/token.' },
  openIdConfUrl: {
    kind: 'url',
    derived: true,
    label: 'OpenID configuration URL',
    help: 'Default <authorityHost>/<tenantId>/v2.0/.well-known/openid-configuration.',
  },
  importUserGroups: { kind: 'boolean', label: 'Import user groups', help: "Make each user's groups exactly the token's groups at every sign-in." },
  groupImportMode: { kind: 'enum', values: ['all', 'listed'], label: 'Groups to import', help: 'all: every group in the token; listed: only importGroupIds.' },
  importGroupIds: { kind: 'guidList', label: 'Imported groups', help: 'Group object IDs imported when groupImportMode is listed.' },
  requiredGroupIds: { kind: 'guidList', label: 'Required groups', help: 'If set, a user must be in at least one of these groups to sign in.' },
  adminGroupIds: { kind: 'guidList', label: 'Admin groups', help: 'Members of these groups are console admins (besides the IceSso.Admin app role).' },
  auditorGroupIds: { kind: 'guidList', label: 'Auditor groups', help: 'Members of these groups are console auditors (besides the IceSso.Auditor app role).' },
  allowedClientIds: {
    kind: 'guidList',
    derived: true,
    label: 'Allowed client apps',
    help: 'Client IDs (azp/appid) allowed to log in; default: the client ID.',
  },
  clockSkewSeconds: { kind: 'int', min: 0, max: 900, label: 'Clock skew (s)', help: 'Tolerance for exp and nbf.' },
  replayProtection: { kind: 'boolean', label: 'Replay protection', help: "Accept each token's uti for login only once." },
  domainHint: { kind: 'string', label: 'Domain hint', help: 'Optional; published in /sso-meta as domainHint, e.g. contoso.com.' },
  sessionLifetimeMinutes: { kind: 'int', min: 5, max: 43200, label: 'Session lifetime (min)', help: 'How long a session from /api/login lasts.' },
  loginRateLimitPerMinute: {
    kind: 'int',
    min: 0,
    max: 1000000,
    label: 'Refused logins per IP per minute',
    help: 'Above this, an IP gets 429 too_many_attempts; 0 turns the limit off.',
  },
  auditRetentionDays: { kind: 'int', min: 30, max: 3650, label: 'Audit retention (days)', help: 'Login and change events older than this are purged.' },
  graphHost: {
    kind: 'url',
    derived: true,
    label: 'Microsoft Graph host',
    help: "Graph endpoint of the tenant's cloud, e.g. https://graph.microsoft.com; resolves groups overage. Required for a custom cloud.",
  },
  graphGroupNames: {
    kind: 'boolean',
    label: 'Group names from Microsoft Graph',
    help: 'Read the names of imported groups from Graph in the background; a name an admin gave always wins.',
  },
  graphLeaverCheckMinutes: {
    kind: 'int',
    min: 0,
    max: 1440,
    label: 'Leaver check interval (min)',
    help: 'Every so often ask Graph whether users with sessions were disabled or revoked in Entra, and sign them out; 0 turns it off, else at least 5.',
  },
} as const satisfies Record<string, FieldInfo>;

export type SettingsKey = keyof typeof settingsFields;
export const settingsKeys = Object.keys(settingsFields) as SettingsKey[];
export const derivedKeys = settingsKeys.filter((k) => (settingsFields[k] as FieldInfo).derived) as DerivedKey[];
export type DerivedKey =
  'authorityHost' | 'audience' | 'scope' | 'redirectUrl' | 'authorizationUrl' | 'tokenUrl' | 'openIdConfUrl' | 'allowedClientIds' | 'graphHost';
