import 'server-only';
import { z } from 'zod';
import { checkStepSchema, keyHealthSchema } from '@/server/entra/schemas';
import { pageInputShape, pageOutputSchema } from '@/server/lib/paging';
import { settingsVersionSchema } from '@/server/settings/schemas';
import { graphCredentialStatusSchema } from '@/shared/settings/graph-credential';
import { effectiveSettingsSchema, settingsIssueSchema, ssoMetaDocumentSchema, storedSettingsDocumentSchema } from '@/shared/settings/shapes';

/** Inputs and outputs of the `settings` router, named after the procedure. Times are epoch milliseconds. */

/** A draft: any subset of the settings fields; checked by the settings service, which names each field it refuses. */
const patchInput = z.record(z.string(), z.unknown());
const versionNumber = z.number().int().positive();
const comment = z.string().max(500);

export const settingsGetInput = z.void();
export const settingsGetOutput = z.object({
  /** 0 when nothing was ever saved (all defaults). */
  version: z.number(),
  document: storedSettingsDocumentSchema,
  effective: effectiveSettingsSchema,
  /** What /sso-meta serves; null while it answers 404. */
  meta: ssoMetaDocumentSchema.nullable(),
  updatedAt: z.number().nullable(),
  updatedBy: z.string().nullable(),
  /** The write-only Microsoft Graph credential: set or not, never its value. */
  graphCredential: graphCredentialStatusSchema,
});

export const settingsVersionsListInput = z.object(pageInputShape('settingsVersions')).strict().prefault({});
export const settingsVersionsListOutput = pageOutputSchema(settingsVersionSchema);

export const settingsVersionsGetInput = z.object({ version: versionNumber }).strict();
export const settingsVersionsGetOutput = settingsVersionSchema;

export const settingsPreviewInput = z.object({ patch: patchInput }).strict();
export const settingsPreviewOutput = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), effective: effectiveSettingsSchema, meta: ssoMetaDocumentSchema.nullable(), issues: z.array(settingsIssueSchema).length(0) }),
  z.object({ ok: z.literal(false), effective: z.null(), meta: z.null(), issues: z.array(settingsIssueSchema) }),
]);

export const settingsUpdateInput = z.object({ patch: patchInput, comment: comment.optional() }).strict();
export const settingsUpdateOutput = settingsVersionSchema;

export const settingsRevertInput = z.object({ version: versionNumber, comment: comment.optional() }).strict();
export const settingsRevertOutput = settingsVersionSchema;

export const settingsCheckInput = z
  .object({ patch: patchInput.default({}) })
  .strict()
  .prefault({});
export const settingsCheckOutput = z.array(checkStepSchema);

export const settingsKeyHealthInput = z.void();
/** The discovery and key cache of the process that answered; null until the tenant is configured. */
export const settingsKeyHealthOutput = keyHealthSchema.nullable();

/** The write-only Microsoft Graph credential: its status, and set / replace / clear (never a read of the value). */
export const settingsGraphCredentialGetInput = z.void();
export const settingsGraphCredentialGetOutput = graphCredentialStatusSchema;
export const settingsGraphCredentialSetSecretInput = z.object({ secret: z.string().min(1).max(1024) }).strict();
export const settingsGraphCredentialSetSecretOutput = graphCredentialStatusSchema;
export const settingsGraphCredentialSetCertificateInput = z
  .object({
    /** PEM private key (unencrypted PKCS#8 or PKCS#1 RSA); may also hold the certificate, as one PEM bundle. */
    privateKeyPem: z.string().min(1).max(32_768),
    /** PEM certificate; optional when `privateKeyPem` is a bundle that holds it. */
    certificatePem: z.string().max(32_768).optional(),
  })
  .strict();
export const settingsGraphCredentialSetCertificateOutput = graphCredentialStatusSchema;
export const settingsGraphCredentialClearInput = z.object({ which: z.enum(['graphClientSecret', 'graphCertificate']) }).strict();
export const settingsGraphCredentialClearOutput = graphCredentialStatusSchema;
