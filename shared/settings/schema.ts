import { z } from 'zod';
import { clouds, graphCredentialKeys, settingsFields, settingsKeys, type SettingsKey } from './fields';
import { resolveSettings } from './derive';
import type { SettingsIssue } from './shapes';

/** Pure zod schemas of the settings document; the console uses the same ones for inline errors. */
const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const GUID_MSG = 'must be a GUID like 8eaef023-2b34-4da1-9baa-8bc8c9d6a490';

const guid = z.string().trim().toLowerCase().regex(GUID_RE, GUID_MSG);
const guidOrEmpty = z.union([z.literal(''), guid], { error: GUID_MSG });
const guidList = z
  .array(guid)
  .max(500, 'at most 500 group IDs')
  .transform((ids) => [...new Set(ids)]);
const absoluteUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((v) => URL.canParse(v), 'must be an absolute URL')
  .transform((v) => v.replace(/\/+$/, ''));
const noSpaces = z.string().trim().min(1, 'must not be empty').max(400).regex(/^\S+$/, 'must not contain spaces');

/**
 * The shortest audit retention that can be set: an admin (or a stolen admin session) cannot
 * purge the recent login history and change log by lowering the setting. Retention enforces
 * it too, for documents stored before the floor existed.
 */
export const AUDIT_RETENTION_FLOOR_DAYS = 30;

/** The shortest leaver check interval: every check asks Graph once per user with a session. */
export const LEAVER_CHECK_MIN_MINUTES = 5;

/** One schema per field, without defaults (a patch must not fill in what it does not name). */
const fieldSchemas = {
  enabled: z.boolean({ error: 'must be true or false' }),
  cloud: z.enum(clouds, { error: `must be one of ${clouds.join(', ')}` }),
  authorityHost: absoluteUrl.nullable(),
  tenantId: guidOrEmpty,
  clientId: guidOrEmpty,
  audience: noSpaces.nullable(),
  scope: noSpaces.nullable(),
  redirectUrl: absoluteUrl.nullable(),
  authorizationUrl: absoluteUrl.nullable(),
  tokenUrl: absoluteUrl.nullable(),
  openIdConfUrl: absoluteUrl.nullable(),
  importUserGroups: z.boolean({ error: 'must be true or false' }),
  groupImportMode: z.enum(['all', 'listed'], { error: 'must be one of all, listed' }),
  importGroupIds: guidList,
  requiredGroupIds: guidList,
  adminGroupIds: guidList,
  auditorGroupIds: guidList,
  allowedClientIds: guidList.nullable(),
  clockSkewSeconds: intField('clockSkewSeconds'),
  replayProtection: z.boolean({ error: 'must be true or false' }),
  domainHint: z
    .string()
    .trim()
    .max(253)
    .regex(/^[A-Za-z0-9.-]+$/, 'must be a domain name such as contoso.com')
    .nullable(),
  sessionLifetimeMinutes: intField('sessionLifetimeMinutes'),
  loginRateLimitPerMinute: intField('loginRateLimitPerMinute'),
  auditRetentionDays: z
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(
      AUDIT_RETENTION_FLOOR_DAYS,
      `must be at least ${AUDIT_RETENTION_FLOOR_DAYS} days: audit history younger than that can never be purged (retention floor)`,
    )
    .max(settingsFields.auditRetentionDays.max, `must be at most ${settingsFields.auditRetentionDays.max} days`),
  graphHost: absoluteUrl.nullable(),
  graphGroupNames: z.boolean({ error: 'must be true or false' }),
  graphLeaverCheckMinutes: z
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .refine((n) => n === 0 || (n >= LEAVER_CHECK_MIN_MINUTES && n <= settingsFields.graphLeaverCheckMinutes.max), {
      message: `must be 0 (off) or between ${LEAVER_CHECK_MIN_MINUTES} and ${settingsFields.graphLeaverCheckMinutes.max}`,
    }),
} satisfies Record<SettingsKey, z.ZodType>;

type FieldValues = { [K in SettingsKey]: z.output<(typeof fieldSchemas)[K]> };

/** Values of a document nobody has saved yet. */
export const settingsDefaults: FieldValues = {
  enabled: false,
  cloud: 'public',
  authorityHost: null,
  tenantId: '',
  clientId: '',
  audience: null,
  scope: null,
  redirectUrl: null,
  authorizationUrl: null,
  tokenUrl: null,
  openIdConfUrl: null,
  importUserGroups: true,
  groupImportMode: 'all',
  importGroupIds: [],
  requiredGroupIds: [],
  adminGroupIds: [],
  auditorGroupIds: [],
  allowedClientIds: null,
  clockSkewSeconds: 300,
  replayProtection: true,
  domainHint: null,
  sessionLifetimeMinutes: 720,
  loginRateLimitPerMinute: 300,
  auditRetentionDays: 365,
  graphHost: null,
  graphGroupNames: false,
  graphLeaverCheckMinutes: 0,
};

const documentShape = Object.fromEntries(settingsKeys.map((k) => [k, (fieldSchemas[k] as z.ZodType).default(settingsDefaults[k] as never)])) as {
  [K in SettingsKey]: z.ZodDefault<(typeof fieldSchemas)[K]>;
};

function intField(key: 'clockSkewSeconds' | 'sessionLifetimeMinutes' | 'loginRateLimitPerMinute') {
  const { min, max } = settingsFields[key];
  return z
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(min, `must be between ${min} and ${max}`)
    .max(max, `must be between ${min} and ${max}`);
}

/** Field-level schema of a stored settings document. Unknown keys are rejected. */
export const settingsDocumentSchema = z.strictObject(documentShape).superRefine((doc, ctx) => {
  for (const issue of crossFieldIssues(doc)) ctx.addIssue({ code: 'custom', path: [issue.field], message: issue.message });
});

export type SettingsDocument = z.output<typeof settingsDocumentSchema>;
export type SettingsDocumentInput = z.input<typeof settingsDocumentSchema>;

/** A partial update: any subset of the fields; derived fields accept null or '' for "derived". */
export const settingsPatchSchema = z.strictObject(
  Object.fromEntries(
    settingsKeys.map((k) => {
      const base = fieldSchemas[k] as z.ZodType;
      const info = settingsFields[k] as { derived?: boolean };
      const nullableEmpty = info.derived || k === 'domainHint';
      return [k, (nullableEmpty ? z.union([z.literal('').transform(() => null), base]) : base).optional()];
    }),
  ) as { [K in SettingsKey]: z.ZodOptional<z.ZodType<SettingsDocument[K] | null, unknown>> },
);
export type SettingsPatch = Partial<{ [K in SettingsKey]: SettingsDocument[K] | null }>;

export type { SettingsIssue } from './shapes';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname.endsWith('.localhost');
}

/** Rules that span fields: required IDs when enabled, https URLs, scope under the audience. */
export function crossFieldIssues(doc: SettingsDocument): SettingsIssue[] {
  const issues: SettingsIssue[] = [];
  const eff = resolveSettings(doc);
  if (doc.enabled) {
    if (!doc.tenantId) issues.push({ field: 'tenantId', message: 'is required to enable sign-in' });
    if (!doc.clientId) issues.push({ field: 'clientId', message: 'is required to enable sign-in' });
    if (!eff.authorityHost) issues.push({ field: 'authorityHost', message: 'is required for a custom cloud to enable sign-in' });
  }
  const urlKeys = ['authorityHost', 'redirectUrl', 'authorizationUrl', 'tokenUrl', 'openIdConfUrl', 'graphHost'] as const;
  for (const key of urlKeys) {
    const value = doc[key];
    if (value === null) continue;
    const problem = urlProblem(value, doc.cloud, key === 'redirectUrl');
    if (problem) issues.push({ field: key, message: problem });
  }
  if (doc.authorityHost !== null && URL.canParse(doc.authorityHost)) {
    const u = new URL(doc.authorityHost);
    if (u.search || u.hash) issues.push({ field: 'authorityHost', message: 'must not have a query or fragment' });
  }
  if (doc.graphHost !== null && URL.canParse(doc.graphHost)) {
    const u = new URL(doc.graphHost);
    // requests go to <graphHost>/v1.0/...: a query or fragment would end up inside every URL
    if (u.search || u.hash) issues.push({ field: 'graphHost', message: 'must not have a query or fragment (e.g. https://graph.microsoft.com)' });
  }
  if (eff.audience && eff.scope) {
    const prefix = `${eff.audience}/`;
    if (!eff.scope.startsWith(prefix) || eff.scope.length === prefix.length || eff.scope.slice(prefix.length).includes('/')) {
      issues.push({
        field: 'scope',
        message: `must sit under the audience: ${prefix}<scope name> (e.g. ${prefix}UserProfile.ReadWrite)`,
      });
    }
  }
  return issues;
}

function urlProblem(value: string, cloud: SettingsDocument['cloud'], allowAppScheme: boolean): string | null {
  const u = new URL(value);
  if (u.protocol === 'https:') return u.username || u.password ? 'must not contain credentials' : null;
  if (u.protocol === 'http:') {
    if (cloud === 'custom' && isLoopbackHost(u.hostname)) return null;
    return cloud === 'custom'
      ? 'must use https:// (http:// is allowed only on a loopback address such as 127.0.0.1)'
      : 'must use https:// (http:// is allowed only for a custom cloud on a loopback address)';
  }
  // Native clients may register app-scheme redirect URIs such as msauth.com.example.ice://auth.
  if (allowAppScheme && /^[a-z][a-z0-9+.-]*:$/.test(u.protocol) && !['javascript:', 'data:', 'file:', 'vbscript:'].includes(u.protocol)) return null;
  return 'must use https://';
}

/**
 * zod issues → `{ field, message, text }`: the field is the top-level key (an entry of a list
 * such as `requiredGroupIds.0` belongs to `requiredGroupIds`); unknown keys are named.
 * `input` (what was parsed) lets the text quote the entry at fault.
 */
export function toSettingsIssues(error: z.ZodError, input?: unknown): SettingsIssue[] {
  const out: SettingsIssue[] = [];
  for (const issue of flattenUnions(error.issues)) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        out.push(
          (graphCredentialKeys as readonly string[]).includes(key)
            ? {
                field: key,
                message: 'is write-only: set or clear it on its own (settings set on the command line, or the Microsoft Graph credential form)',
                text: `${key} is write-only and is set on its own.`,
              }
            : { field: key, message: `unknown setting; known settings: ${settingsKeys.join(', ')}`, text: `“${key}” is not a setting.` },
        );
      continue;
    }
    const [key, index] = issue.path;
    const field = key === undefined ? '(settings)' : String(key);
    if (typeof index === 'number') {
      const value = valueAt(input, field, index);
      const message = `entry ${index + 1}${value === undefined ? '' : ` (${JSON.stringify(value)})`} ${issue.message}`;
      out.push({ field, message, text: entryText(field, index, value) });
      continue;
    }
    out.push({ field, message: issue.message, text: sentence(field, issue.message) });
  }
  return out;
}

/**
 * A derived field accepts '' (for "derived") or its value: when neither fits, zod reports one
 * `invalid_union` ("Invalid input"). The last branch is the field's own schema, whose issues
 * say what is wrong (and which entry of a list).
 */
function flattenUnions(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'invalid_union' || !issue.errors?.length) return [issue];
    const own = issue.errors.at(-1)!;
    if (own.length === 0) return [issue];
    return flattenUnions(own.map((sub) => ({ ...sub, path: [...issue.path, ...sub.path] }) as z.core.$ZodIssue));
  });
}

const labelOf = (field: string): string => (settingsFields as Record<string, { label: string } | undefined>)[field]?.label ?? field;

function sentence(field: string, message: string): string {
  return `${labelOf(field)} ${message}.`;
}

function valueAt(input: unknown, field: string, index: number): unknown {
  if (!input || typeof input !== 'object') return undefined;
  const list = (input as Record<string, unknown>)[field];
  return Array.isArray(list) ? list[index] : undefined;
}

function entryText(field: string, index: number, value: unknown): string {
  const what = field === 'allowedClientIds' ? 'an application (client) ID' : 'a group object ID';
  const shown = typeof value === 'string' ? `“${value}”` : `Entry ${index + 1}`;
  const hint = field === 'allowedClientIds' ? '' : ' Pick the group by name from the list below the field, or paste its object ID.';
  return `${labelOf(field)}: ${shown} (line ${index + 1}) is not ${what}, which is a GUID like 8eaef023-2b34-4da1-9baa-8bc8c9d6a490.${hint}`;
}

/**
 * Every issue of a patch against the current document, at once: each field's own rules, then
 * the rules across fields over the document with every valid field of the patch applied (a
 * field that already has an issue gets no second one). Both the server and the console use it.
 */
export function patchIssues(current: SettingsDocument, patch: unknown): SettingsIssue[] {
  const parsed = settingsPatchSchema.safeParse(patch);
  const issues = parsed.success ? [] : toSettingsIssues(parsed.error, patch);
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return issues;
  const flagged = new Set(issues.map((i) => i.field));
  const merged = withValidFields(current, patch as Record<string, unknown>);
  const checked = settingsDocumentSchema.safeParse(merged);
  if (!checked.success) for (const issue of toSettingsIssues(checked.error, merged)) if (!flagged.has(issue.field)) issues.push(issue);
  return issues;
}

/** The document with every field of the patch that passes its own rules applied (the others left as they are). */
export function withValidFields(current: SettingsDocument, patch: Record<string, unknown>): SettingsDocument {
  const merged: Record<string, unknown> = { ...current };
  const shape = settingsPatchSchema.shape as Record<string, z.ZodType | undefined>;
  for (const [key, value] of Object.entries(patch)) {
    const one = shape[key]?.safeParse(value);
    if (one?.success) merged[key] = one.data;
  }
  return merged as SettingsDocument;
}
