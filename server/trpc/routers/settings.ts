import 'server-only';
import { checkConfiguration } from '@/server/entra/check';
import { keyHealth } from '@/server/entra/metadata';
import { resolveSettings } from '@/server/settings/derive';
import { ssoMetaDocument } from '@/server/settings/document';
import { SettingsValidationError } from '@/server/settings/errors';
import { patchIssues, settingsPatchSchema, settingsDocumentSchema, toSettingsIssues, type SettingsPatch } from '@/server/settings/schema';
import { applyPatch, getSettings, getSettingsVersion, revertSettings, updateSettings } from '@/server/settings/service';
import { listSettingsVersionPage } from '@/server/settings/version-page';
import { checkGraphAccess } from '@/server/graph/check';
import { clearGraphCredential, graphCredentialStatus, setGraphCertificate, setGraphClientSecret, splitPemBundle } from '@/server/settings/graph-credential';
import { auditActor } from '../context';
import { adminProcedure, auditorProcedure, router } from '../init';
import {
  settingsCheckInput,
  settingsCheckOutput,
  settingsGraphCredentialClearInput,
  settingsGraphCredentialClearOutput,
  settingsGraphCredentialGetInput,
  settingsGraphCredentialGetOutput,
  settingsGraphCredentialSetCertificateInput,
  settingsGraphCredentialSetCertificateOutput,
  settingsGraphCredentialSetSecretInput,
  settingsGraphCredentialSetSecretOutput,
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

/** The write-only Microsoft Graph credential (docs/security.md, "Microsoft Graph credential"): no procedure returns its value. */
const graphCredentialRouter = router({
  get: auditorProcedure
    .input(settingsGraphCredentialGetInput)
    .output(settingsGraphCredentialGetOutput)
    .query(({ ctx }) => graphCredentialStatus(ctx.db)),
  /** Sets or replaces the client secret. */
  setSecret: adminProcedure
    .input(settingsGraphCredentialSetSecretInput)
    .output(settingsGraphCredentialSetSecretOutput)
    .mutation(({ ctx, input }) => setGraphClientSecret(ctx.db, input.secret, auditActor(ctx))),
  /** Sets or replaces the certificate (it wins over a secret). */
  setCertificate: adminProcedure
    .input(settingsGraphCredentialSetCertificateInput)
    .output(settingsGraphCredentialSetCertificateOutput)
    .mutation(({ ctx, input }) => setGraphCertificate(ctx.db, splitPemBundle(`${input.privateKeyPem}\n${input.certificatePem ?? ''}`), auditActor(ctx))),
  clear: adminProcedure
    .input(settingsGraphCredentialClearInput)
    .output(settingsGraphCredentialClearOutput)
    .mutation(({ ctx, input }) => clearGraphCredential(ctx.db, input.which, auditActor(ctx))),
});

export const settingsRouter = router({
  /** The current version: stored document, effective values, what /sso-meta publishes. */
  get: auditorProcedure
    .input(settingsGetInput)
    .output(settingsGetOutput)
    .query(({ ctx }) => {
      const s = getSettings(ctx.db);
      return {
        version: s.version,
        document: s.document,
        effective: s.effective,
        meta: s.meta.document,
        updatedAt: s.updatedAt,
        updatedBy: s.updatedBy,
        graphCredential: graphCredentialStatus(ctx.db),
      };
    }),
  versions: versionsRouter,
  graphCredential: graphCredentialRouter,
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
  /** Fetches the tenant's discovery documents and keys for the draft, then gets an app token and calls Microsoft Graph once; reports each step. */
  check: adminProcedure
    .input(settingsCheckInput)
    .output(settingsCheckOutput)
    .mutation(async ({ ctx, input }) => {
      const draft = draftOf(ctx, input.patch);
      const entra = await checkConfiguration(draft);
      // the admin's own memberships when signed in with Entra (tid:oid), else a probe that proves the permission by a 404
      const objectId = ctx.actor.kind === 'entra' ? (ctx.actor.id.split(':')[1] ?? null) : null;
      return [...entra, ...(await checkGraphAccess(ctx.db, draft, objectId))];
    }),
  keyHealth: auditorProcedure
    .input(settingsKeyHealthInput)
    .output(settingsKeyHealthOutput)
    .query(({ ctx }) => {
      const s = getSettings(ctx.db).effective;
      return s.complete ? keyHealth(s) : null;
    }),
});
