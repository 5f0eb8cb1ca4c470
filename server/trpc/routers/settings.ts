import 'server-only';
import { z } from 'zod';
import { checkConfiguration } from '@/server/entra/check';
import { keyHealth } from '@/server/entra/metadata';
import { resolveSettings } from '@/server/settings/derive';
import { ssoMetaDocument } from '@/server/settings/document';
import { SettingsValidationError } from '@/server/settings/errors';
import { patchIssues, settingsPatchSchema, settingsDocumentSchema, toSettingsIssues, type SettingsPatch } from '@/server/settings/schema';
import { applyPatch, getSettings, getSettingsVersion, listSettingsVersions, revertSettings, updateSettings } from '@/server/settings/service';
import { auditActor } from '../context';
import { adminProcedure, auditorProcedure, router } from '../init';

const patchInput = z.record(z.string(), z.unknown());

/** Draft settings (current + unsaved changes), resolved, or the issues that stop them. */
function draftOf(ctx: { db: Parameters<typeof getSettings>[0] }, patch: Record<string, unknown>) {
  const parsedPatch = settingsPatchSchema.safeParse(patch);
  const current = getSettings(ctx.db).document;
  if (!parsedPatch.success) throw new SettingsValidationError(patchIssues(current, patch));
  const next = applyPatch(current, parsedPatch.data as SettingsPatch);
  const checked = settingsDocumentSchema.safeParse(next);
  if (!checked.success) throw new SettingsValidationError(toSettingsIssues(checked.error, next));
  return resolveSettings(checked.data);
}

export const settingsRouter = router({
  /** The current version: stored document, effective values, what /sso-meta publishes. */
  get: auditorProcedure.query(({ ctx }) => {
    const s = getSettings(ctx.db);
    return { version: s.version, document: s.document, effective: s.effective, meta: s.meta.document, updatedAt: s.updatedAt, updatedBy: s.updatedBy };
  }),
  versions: auditorProcedure
    .input(z.object({ limit: z.number().int().min(1).max(200).default(50), before: z.number().int().positive().optional() }).default({ limit: 50 }))
    .query(({ ctx, input }) => listSettingsVersions(ctx.db, input)),
  version: auditorProcedure.input(z.object({ version: z.number().int().positive() })).query(({ ctx, input }) => getSettingsVersion(ctx.db, input.version)),
  /** Live preview: the /sso-meta document the draft would publish, or its issues. */
  preview: auditorProcedure.input(z.object({ patch: patchInput })).query(({ ctx, input }) => {
    try {
      const eff = draftOf(ctx, input.patch);
      return { ok: true as const, effective: eff, meta: ssoMetaDocument(eff), issues: [] };
    } catch (err) {
      if (err instanceof SettingsValidationError) return { ok: false as const, effective: null, meta: null, issues: err.issues };
      throw err;
    }
  }),
  update: adminProcedure
    .input(z.object({ patch: patchInput, comment: z.string().max(500).optional() }))
    .mutation(({ ctx, input }) => updateSettings(ctx.db, input.patch, auditActor(ctx), input.comment)),
  revert: adminProcedure
    .input(z.object({ version: z.number().int().positive(), comment: z.string().max(500).optional() }))
    .mutation(({ ctx, input }) => revertSettings(ctx.db, input.version, auditActor(ctx), input.comment)),
  /** Fetches the tenant's discovery documents and keys for the draft and reports each step. */
  check: adminProcedure.input(z.object({ patch: patchInput.default({}) }).default({ patch: {} })).mutation(({ ctx, input }) => checkConfiguration(draftOf(ctx, input.patch))),
  keyHealth: auditorProcedure.query(({ ctx }) => {
    const s = getSettings(ctx.db).effective;
    return s.complete ? keyHealth(s) : null;
  }),
});
