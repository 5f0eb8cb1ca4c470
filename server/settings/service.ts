import 'server-only';
import type { SettingsVersion } from './schemas';
import { desc, eq, sql } from 'drizzle-orm';
import { dbState, isPostgres, type Db } from '@/db/client';
import { settingsVersions } from '@/db/schema';
import { writeTransaction } from '@/db/transaction';
import { recordChange, type Actor } from '@/server/audit/changes';
import { derivedKeys, settingsKeys, type DerivedKey } from './fields';
import { derivedDefaults, resolveSettings, type EffectiveSettings } from './derive';
import { patchIssues, settingsDocumentSchema, settingsPatchSchema, toSettingsIssues, type SettingsDocument, type SettingsPatch } from './schema';
import { SettingsValidationError, SettingsVersionNotFoundError } from './errors';
import { buildSsoMeta, type SsoMeta } from './meta';

/** The current settings as seen by this process. */
export interface CurrentSettings {
  /** 0 when nothing was ever saved (all defaults). */
  version: number;
  document: SettingsDocument;
  effective: EffectiveSettings;
  meta: SsoMeta;
  updatedAt: number | null;
  updatedBy: string | null;
}

export type { SettingsVersion } from './schemas';

/** The channel a saved version is announced on, on PostgreSQL (server/settings/notify-task.ts). */
export const SETTINGS_CHANNEL = 'ice_sso_settings';

/** How often a process looks for versions saved by other processes. */
const RECHECK_MS = 500;

interface CacheState {
  current: CurrentSettings | null;
  checkedAt: number;
  listeners: Set<(s: CurrentSettings) => void>;
}

const cacheOf = (db: Db) => dbState<CacheState>(db, 'settings', () => ({ current: null, checkedAt: 0, listeners: new Set() }));

export const defaultSettingsDocument = (): SettingsDocument => settingsDocumentSchema.parse({});

/**
 * Current settings from an in-memory copy, re-read when another process saved a newer
 * version (checked at most every 500 ms with one indexed query).
 */
export function getSettings(db: Db, now = Date.now()): CurrentSettings {
  const cache = cacheOf(db);
  if (cache.current && now - cache.checkedAt < RECHECK_MS) return cache.current;
  const latest = db
    .select({ version: sql<number>`max(${settingsVersions.version})` })
    .from(settingsVersions)
    .get();
  cache.checkedAt = now;
  const version = latest?.version ?? 0;
  if (!cache.current || cache.current.version !== version) load(db, cache);
  return cache.current!;
}

/** Reads the newest version now (a version announced by another instance), telling the listeners when it changed. */
export function refreshSettings(db: Db): CurrentSettings {
  cacheOf(db).checkedAt = 0;
  return getSettings(db);
}

/** Subscribes to settings changes seen by this process (e.g. to refresh Entra discovery). */
export function onSettingsChange(db: Db, listener: (s: CurrentSettings) => void): () => void {
  const cache = cacheOf(db);
  cache.listeners.add(listener);
  return () => cache.listeners.delete(listener);
}

function load(db: Db, cache: CacheState): void {
  const row = db.select().from(settingsVersions).orderBy(desc(settingsVersions.version)).limit(1).get();
  const document = row ? parseStored(row.document) : defaultSettingsDocument();
  const effective = resolveSettings(document);
  cache.current = {
    version: row?.version ?? 0,
    document,
    effective,
    meta: buildSsoMeta(effective),
    updatedAt: row?.createdAt ?? null,
    updatedBy: row?.author ?? null,
  };
  for (const listener of cache.listeners) listener(cache.current);
}

/** Stored documents were valid when written; parse leniently so that newer defaults fill in. */
function parseStored(raw: unknown): SettingsDocument {
  const parsed = settingsDocumentSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  return { ...defaultSettingsDocument(), ...(raw as object) } as SettingsDocument;
}

/**
 * Applies a partial change and saves it as a new version. A derived field set to its
 * derived value (before or after the change) stays derived; `null` or '' resets it to derived.
 * Throws {@link SettingsValidationError}, writing nothing, when any rule is broken.
 */
export function updateSettings(db: Db, patch: unknown, actor: Actor, comment?: string | null): SettingsVersion {
  const parsedPatch = settingsPatchSchema.safeParse(patch);
  // every issue at once, the rules across fields included, as the console shows them
  if (!parsedPatch.success) throw new SettingsValidationError(patchIssues(getSettings(db).document, patch));
  return writeTransaction(db, () => {
    const current = readLatest(db);
    const next = applyPatch(current.document, parsedPatch.data as SettingsPatch);
    return saveVersion(db, current, next, actor, { comment: comment ?? null, action: 'settings.update' });
  });
}

/** Pure: the document that results from a patch, with the derived-value rule applied. */
export function applyPatch(current: SettingsDocument, patch: SettingsPatch): SettingsDocument {
  const merged: Record<string, unknown> = { ...current };
  for (const key of settingsKeys) if (key in patch) merged[key] = patch[key];
  const base = merged as SettingsDocument;
  const before = derivedDefaults(current);
  // each derived default depends only on the other fields, never on its own override
  const after = derivedDefaults(base);
  for (const key of derivedKeys) {
    const value = base[key];
    if (value === null || !(key in patch)) continue;
    if (same(value, before[key]) || same(value, after[key])) (merged as Record<DerivedKey, unknown>)[key] = null;
  }
  return merged as SettingsDocument;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Writes a new version equal to an old one. */
export function revertSettings(db: Db, version: number, actor: Actor, comment?: string | null): SettingsVersion {
  return writeTransaction(db, () => {
    const target = db.select().from(settingsVersions).where(eq(settingsVersions.version, version)).get();
    if (!target) throw new SettingsVersionNotFoundError(version);
    const current = readLatest(db);
    return saveVersion(db, current, parseStored(target.document), actor, {
      comment: comment ?? `Restored version ${version}`,
      action: 'settings.revert',
      revertedFrom: version,
    });
  });
}

function readLatest(db: Db): { version: number; document: SettingsDocument } {
  const row = db.select().from(settingsVersions).orderBy(desc(settingsVersions.version)).limit(1).get();
  return row ? { version: row.version, document: parseStored(row.document) } : { version: 0, document: defaultSettingsDocument() };
}

function saveVersion(
  db: Db,
  current: { version: number; document: SettingsDocument },
  next: SettingsDocument,
  actor: Actor,
  opts: { comment: string | null; action: 'settings.update' | 'settings.revert'; revertedFrom?: number },
): SettingsVersion {
  const checked = settingsDocumentSchema.safeParse(next);
  if (!checked.success) throw new SettingsValidationError(toSettingsIssues(checked.error, next));
  const comment = opts.comment?.trim() ? opts.comment.trim().slice(0, 500) : null;
  const row = db
    .insert(settingsVersions)
    .values({
      version: current.version + 1,
      document: checked.data,
      author: actor.name,
      authorKind: actor.kind,
      comment,
      revertedFrom: opts.revertedFrom ?? null,
      createdAt: Date.now(),
    })
    .returning()
    .get();
  recordChange(db, actor, {
    action: opts.action,
    targetType: 'settings',
    targetId: String(row.version),
    before: diffSide(current.document, checked.data, 'before'),
    after: diffSide(current.document, checked.data, 'after'),
    comment,
  });
  // PostgreSQL: the other instances hear of it at commit (server/settings/notify-task.ts)
  if (isPostgres(db)) db.$client.prepare(`SELECT pg_notify('${SETTINGS_CHANNEL}', ?)`).get(String(row.version));
  const cache = cacheOf(db);
  cache.checkedAt = 0;
  return toVersion(row);
}

/** Only the keys that changed, so the change log shows a readable before/after. */
function diffSide(a: SettingsDocument, b: SettingsDocument, side: 'before' | 'after'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of settingsKeys) if (!same(a[key], b[key])) out[key] = side === 'before' ? a[key] : b[key];
  return out;
}

function toVersion(row: typeof settingsVersions.$inferSelect): SettingsVersion {
  return {
    version: row.version,
    document: parseStored(row.document),
    author: row.author,
    authorKind: row.authorKind,
    comment: row.comment,
    revertedFrom: row.revertedFrom,
    createdAt: row.createdAt,
  };
}

/** Versions, newest first. */
export function listSettingsVersions(db: Db, opts: { limit?: number; before?: number } = {}): SettingsVersion[] {
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 500);
  const q = db.select().from(settingsVersions);
  const rows = (opts.before ? q.where(sql`${settingsVersions.version} < ${opts.before}`) : q).orderBy(desc(settingsVersions.version)).limit(limit).all();
  return rows.map(toVersion);
}

export function getSettingsVersion(db: Db, version: number): SettingsVersion {
  const row = db.select().from(settingsVersions).where(eq(settingsVersions.version, version)).get();
  if (!row) throw new SettingsVersionNotFoundError(version);
  return toVersion(row);
}
