import 'server-only';
import { checkConfiguration } from '@/server/entra/check';
import { keyHealth } from '@/server/entra/metadata';
import { resolveSettings } from '@/server/settings/derive';
import { ssoMetaDocument } from '@/server/settings/document';
import { SettingsValidationError } from '@/server/settings/errors';
import { patchIssues, settingsPatchSchema, settingsDocumentSchema, toSettingsIssues, type SettingsPatch } from '@/server/settings/schema';
import { applyPatch, getSettings, getSettingsVersion, revertSettings, updateSettings } from '@/server/settings/service';
import { listSettingsVersionPage } from '@/server/settings/version-page';
import { auditActor } from '../context';
import { adminProcedure, auditorProcedure, router } from '../init';
import {
  settingsCheckInput,
  settingsCheckOutput,
  settingsGetInput,
  settingsGetOutput,
  settingsKeyHealthInput,
  settingsKeyHealthOutput,
  settingsPreviewInput,
  settingsPreviewOutput,
  settingsRevertInput,
  settingsRevertOutput,
  settingsUpdateInput,
  settingsUpdateOutput,
  settingsVersionsGetInput,
  settingsVersionsGetOutput,
  settingsVersionsListInput,
  settingsVersionsListOutput,
} from './settings.schemas';

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

/** The saved versions of the settings: a page of them, or one. */
const versionsRouter = router({
  /** Newest first, keyset paging on the version number. */
  list: auditorProcedure
    .input(settingsVersionsListInput)
    .output(settingsVersionsListOutput)
    .query(({ ctx, input }) => listSettingsVersionPage(ctx.db, input)),
  /** One version; NOT_FOUND for a version never saved. */
  get: auditorProcedure
    .input(settingsVersionsGetInput)
    .output(settingsVersionsGetOutput)
    .query(({ ctx, input }) => getSettingsVersion(ctx.db, input.version)),
});

export const settingsRouter = router({
  /** The current version: stored document, effective values, what /sso-meta publishes. */
  get: auditorProcedure
    .input(settingsGetInput)
    .output(settingsGetOutput)
    .query(({ ctx }) => {
      const s = getSettings(ctx.db);
      return { version: s.version, document: s.document, effective: s.effective, meta: s.meta.document, updatedAt: s.updatedAt, updatedBy: s.updatedBy };
    }),
  versions: versionsRouter,
  /** Live preview: the /sso-meta document the draft would publish, or its issues. */
  preview: auditorProcedure
    .input(settingsPreviewInput)
    .output(settingsPreviewOutput)
    .query(({ ctx, input }) => {
      try {
        const eff = draftOf(ctx, input.patch);
        return { ok: true as const, effective: eff, meta: ssoMetaDocument(eff), issues: [] };
      } catch (err) {
        if (err instanceof SettingsValidationError) return { ok: false as const, effective: null, meta: null, issues: err.issues };
        throw err;
      }
    }),
  update: adminProcedure
    .input(settingsUpdateInput)
    .output(settingsUpdateOutput)
    .mutation(({ ctx, input }) => updateSettings(ctx.db, input.patch, auditActor(ctx), input.comment)),
  revert: adminProcedure
    .input(settingsRevertInput)
    .output(settingsRevertOutput)
    .mutation(({ ctx, input }) => revertSettings(ctx.db, input.version, auditActor(ctx), input.comment)),
  /** Fetches the tenant's discovery documents and keys for the draft and reports each step. */
  check: adminProcedure
    .input(settingsCheckInput)
    .output(settingsCheckOutput)
    .mutation(({ ctx, input }) => checkConfiguration(draftOf(ctx, input.patch))),
  keyHealth: auditorProcedure
    .input(settingsKeyHealthInput)
    .output(settingsKeyHealthOutput)
    .query(({ ctx }) => {
      const s = getSettings(ctx.db).effective;
      return s.complete ? keyHealth(s) : null;
    }),
});
