/**
 * dev-entra: a local Microsoft Entra ID emulator for development, demos and tests.
 * Never enabled by the production server. See README.md.
 */
export { startEntraEmulator } from './server';
export type { AppCertificateFiles, CounterSnapshot, EntraEmulator, EntraEmulatorOptions } from './server';
export type { MintOptions } from './mint-options';
export { MintError, MintOptionsSchema } from './mint-options';
export { KeyRingError } from './keys';
export type { RawAlg } from './attacks';
export type { OutageMode, RequestRecord, TokenVersion } from './state';
export {
  ADMIN_ROLE,
  AUDITOR_ROLE,
  DEMO_API_SCOPE,
  DEMO_APP_ID_URI,
  DEMO_CLIENT_ID,
  DEMO_DOMAIN,
  DEMO_TENANT_ID,
  GRAPH_APP_ID,
  GROUPS_OVERAGE_LIMIT,
  OTHER_CLIENT_ID,
  OTHER_DOMAIN,
  OTHER_TENANT_ID,
} from './ids';
export { DEMO_USERS, DEMO_USER_LIST } from './users';
export type { DemoUser, DemoUserKey } from './users';
export { DEMO_GROUPS, GROUP_IDS } from './groups';
export type { DemoGroup } from './groups';
export { DEMO_TENANTS } from './tenants';
export { DEMO_APPS } from './apps';
export { APP_TOKEN_LIFETIME_S, DEFAULT_APPLICATION_PERMISSIONS, DEMO_CLIENT_SECRET, SERVICE_PRINCIPAL_IDS } from './app-registry';
export { JWT_BEARER_ASSERTION, MAX_ASSERTION_LIFETIME_S } from './client-assertion';
export { GraphFaultSchema } from './graph-faults';
export type { GraphFault, GraphFaultInput } from './graph-faults';
export type { AppChange, UserChange, UserState } from './graph-admin';
export { PROJECT_GROUPS } from './groups';
