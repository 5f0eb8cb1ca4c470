import { settingsFields, settingsKeys, type FieldInfo, type SettingsKey } from '@/shared/settings/fields';
import { derivedDefaults, resolveSettings, type EffectiveSettings } from '@/shared/settings/derive';
import { ssoMetaDocument, type SsoMetaDocument } from '@/shared/settings/document';
import { patchIssues, settingsDocumentSchema, withValidFields, type SettingsDocument, type SettingsIssue } from '@/shared/settings/schema';

/**
 * The settings form, pure: form values ↔ settings values, and the draft checked with the
 * same browser-safe rules the server applies (`patchIssues` of shared/settings/schema.ts: every
 * field and every rule across fields at once) and resolved with resolveSettings/ssoMetaDocument
 * for the live /sso-meta preview.
 */
export type FormValue = string | boolean;
export type FormValues = Record<SettingsKey, FormValue>;

export const infoOf = (key: SettingsKey) => settingsFields[key] as FieldInfo;

export function toFormValue(key: SettingsKey, value: unknown): FormValue {
  const info = infoOf(key);
  if (info.kind === 'boolean') return value === true;
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join('\n');
  return String(value);
}

export function formValuesOf(doc: SettingsDocument): FormValues {
  return Object.fromEntries(settingsKeys.map((k) => [k, toFormValue(k, doc[k])])) as FormValues;
}

/** Form text → the JSON value the patch schema expects; odd input is passed on for zod to name. */
export function fromFormValue(key: SettingsKey, value: FormValue): unknown {
  const info = infoOf(key);
  if (info.kind === 'boolean') return value === true;
  const text = String(value).trim();
  if (text === '' && (info.derived || key === 'domainHint')) return null;
  switch (info.kind) {
    case 'int':
      return /^-?\d+$/.test(text) ? Number(text) : text;
    case 'guidList':
      return text === '' ? [] : text.split(/[\s,;]+/).filter(Boolean);
    default:
      return text;
  }
}

export interface Draft {
  /** Only the fields that differ from the stored document. */
  patch: Record<string, unknown>;
  issues: SettingsIssue[];
  /** The document after the patch, when it passes the schema. */
  document: SettingsDocument | null;
  effective: EffectiveSettings | null;
  meta: SsoMetaDocument | null;
  /** Derived defaults for placeholders, from the draft (or the stored document while the draft is invalid). */
  defaults: Record<string, string | string[]>;
}

export function computeDraft(stored: SettingsDocument, initial: FormValues, form: FormValues): Draft {
  const patch: Record<string, unknown> = {};
  for (const key of settingsKeys) if (form[key] !== initial[key]) patch[key] = fromFormValue(key, form[key]);
  const issues = patchIssues(stored, patch);
  const merged = withValidFields(stored, patch);
  const checked = settingsDocumentSchema.safeParse(merged);
  if (issues.length > 0 || !checked.success) {
    // placeholders follow every valid field typed so far
    return { patch, issues, document: null, effective: null, meta: null, defaults: derivedDefaults(merged) };
  }
  const effective = resolveSettings(checked.data);
  return { patch, issues: [], document: checked.data, effective, meta: ssoMetaDocument(effective), defaults: derivedDefaults(checked.data) };
}

/** How a stored value reads in tables and diffs. */
export function displayValue(key: SettingsKey, value: unknown): string {
  if (value === null || value === undefined) return infoOf(key).derived ? '(derived)' : '(not set)';
  if (Array.isArray(value)) return value.length ? value.join(', ') : '(none)';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (value === '') return '(empty)';
  return String(value);
}

/** The fields whose values differ between two documents, in field order. */
export function changedKeys(a: Partial<SettingsDocument>, b: Partial<SettingsDocument>): SettingsKey[] {
  return settingsKeys.filter((k) => JSON.stringify(a[k] ?? null) !== JSON.stringify(b[k] ?? null));
}

/** The console's grouping of the settings fields; any field not listed lands in "Other". */
export const settingsGroups: { id: string; title: string; description: string; keys: SettingsKey[] }[] = [
  {
    id: 'tenant',
    title: 'Tenant & app',
    description: 'The Entra ID tenant and the ICE Server app registration.',
    keys: ['enabled', 'cloud', 'authorityHost', 'tenantId', 'clientId'],
  },
  {
    id: 'endpoints',
    title: 'Endpoints',
    description: 'Derived from the cloud, tenant and client ID. Override only when your registration differs.',
    keys: ['audience', 'scope', 'authorizationUrl', 'tokenUrl', 'openIdConfUrl', 'redirectUrl', 'domainHint'],
  },
  {
    id: 'groups',
    title: 'Groups',
    description: 'Which groups are imported, who may sign in, and which groups are console admins or auditors.',
    keys: ['importUserGroups', 'groupImportMode', 'importGroupIds', 'requiredGroupIds', 'adminGroupIds', 'auditorGroupIds'],
  },
  {
    id: 'security',
    title: 'Security',
    description: 'What the validator accepts.',
    keys: ['allowedClientIds', 'clockSkewSeconds', 'replayProtection', 'loginRateLimitPerMinute'],
  },
  {
    id: 'graph-host',
    title: 'Microsoft Graph',
    description: 'Where groups overage is resolved; derived from the cloud. The credential is set below, write-only.',
    keys: ['graphHost'],
  },
  {
    id: 'sessions',
    title: 'Sessions & audit',
    description: 'Session lifetime and how long audit events are kept.',
    keys: ['sessionLifetimeMinutes', 'auditRetentionDays'],
  },
];

export function groupsWithOther() {
  const listed = new Set(settingsGroups.flatMap((g) => g.keys));
  const other = settingsKeys.filter((k) => !listed.has(k));
  return other.length ? [...settingsGroups, { id: 'other', title: 'Other', description: '', keys: other }] : settingsGroups;
}

export const groupRuleKeys: SettingsKey[] = ['importUserGroups', 'groupImportMode', 'importGroupIds', 'requiredGroupIds'];
