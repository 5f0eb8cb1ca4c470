import { z } from 'zod';
import { clouds, type DerivedKey } from './fields';

/*
 * The shapes of settings values as the server returns them (tRPC outputs, /sso-meta): plain
 * types, no rules, so that a stored document an older rule let through still reads back (the
 * rules are in schema.ts and apply to what is written). Pure: the console's types come from here.
 */

const derivedKeyValues = [
  'authorityHost',
  'audience',
  'scope',
  'redirectUrl',
  'authorizationUrl',
  'tokenUrl',
  'openIdConfUrl',
  'allowedClientIds',
  'graphHost',
] as const satisfies readonly DerivedKey[];
const ids = z.array(z.string());

/** A stored settings document: every field present (defaults filled in); a derived field is null while it takes its default. */
export const storedSettingsDocumentSchema = z.object({
  enabled: z.boolean(),
  cloud: z.enum(clouds),
  authorityHost: z.string().nullable(),
  tenantId: z.string(),
  clientId: z.string(),
  audience: z.string().nullable(),
  scope: z.string().nullable(),
  redirectUrl: z.string().nullable(),
  authorizationUrl: z.string().nullable(),
  tokenUrl: z.string().nullable(),
  openIdConfUrl: z.string().nullable(),
  importUserGroups: z.boolean(),
  groupImportMode: z.enum(['all', 'listed']),
  importGroupIds: ids,
  requiredGroupIds: ids,
  adminGroupIds: ids,
  auditorGroupIds: ids,
  allowedClientIds: ids.nullable(),
  clockSkewSeconds: z.number(),
  replayProtection: z.boolean(),
  domainHint: z.string().nullable(),
  sessionLifetimeMinutes: z.number(),
  loginRateLimitPerMinute: z.number(),
  auditRetentionDays: z.number(),
  /** Absent from documents saved before Microsoft Graph support: read as derived. */
  graphHost: z.string().nullable().default(null),
  /** Absent from documents saved before group names from Graph: off. */
  graphGroupNames: z.boolean().default(false),
  /** Absent from documents saved before the leaver check: off. */
  graphLeaverCheckMinutes: z.number().default(0),
});

/** Settings with every derived value filled in: what the validator and /sso-meta use. */
export const effectiveSettingsSchema = storedSettingsDocumentSchema.extend({
  authorityHost: z.string(),
  audience: z.string(),
  scope: z.string(),
  redirectUrl: z.string(),
  authorizationUrl: z.string(),
  tokenUrl: z.string(),
  openIdConfUrl: z.string(),
  allowedClientIds: ids,
  /** Microsoft Graph host (no trailing slash); '' for a custom cloud that names none. */
  graphHost: z.string(),
  /** The part of `scope` after the audience, required in a token's `scp`. */
  scopeName: z.string(),
  /** v1 discovery document of the tenant (issuer of v1 tokens). */
  v1OpenIdConfUrl: z.string(),
  /** Which fields carry their derived default rather than an override. */
  derived: z.array(z.enum(derivedKeyValues)),
  /** Tenant, client and authority known: enough to publish /sso-meta and validate tokens. */
  complete: z.boolean(),
});
export type EffectiveSettings = z.infer<typeof effectiveSettingsSchema>;

/** The public /sso-meta document (docs/api.md), keys in its order; `domainHint` only when set. */
export const ssoMetaDocumentSchema = z.strictObject({
  provider: z.literal('azure_ad'),
  audience: z.string(),
  authorizationUrl: z.string(),
  tokenUrl: z.string(),
  redirectUrl: z.string(),
  tenantId: z.string(),
  clientId: z.string(),
  openIdConfUrl: z.string(),
  scope: z.string(),
  importUserGroups: z.boolean(),
  domainHint: z.string().optional(),
});
export type SsoMetaDocument = z.infer<typeof ssoMetaDocumentSchema>;

/** A rule a settings value breaks. */
export const settingsIssueSchema = z.object({
  /** The top-level settings key (`requiredGroupIds`, never `requiredGroupIds.0`), so that a form can place it. */
  field: z.string(),
  /** The rule, worded to follow the key: `tenantId: must be a GUID …` (the CLI prints it so). */
  message: z.string(),
  /** The same as a sentence for people, with the field's label and, for a list, the entry at fault. */
  text: z.string().optional(),
});
export type SettingsIssue = z.infer<typeof settingsIssueSchema>;
