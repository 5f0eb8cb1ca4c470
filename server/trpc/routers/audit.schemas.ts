import 'server-only';
import { z } from 'zod';
import { changeEventFilterSchema } from '@/server/audit-reports/change-log';
import { exportFormats } from '@/server/audit-reports/export';
import { loginEventFilterSchema } from '@/server/audit/login-filter';
import { chainVerificationSchema } from '@/server/audit/schemas';

/** Inputs and outputs of the `audit` router, named after the procedure. */

/** `{}`: see noMutationInput in auth.schemas.ts. */
export const auditVerifyInput = z.object({}).strict();
/** One result per chain (login history, change log). */
export const auditVerifyOutput = z.array(chainVerificationSchema);

export const auditExportLinkInput = z.discriminatedUnion('stream', [
  z.object({ stream: z.literal('logins'), format: z.enum(exportFormats), filter: loginEventFilterSchema.default({}) }).strict(),
  z.object({ stream: z.literal('changes'), format: z.enum(exportFormats), filter: changeEventFilterSchema.default({}) }).strict(),
]);
/** A signed one-minute link to /api/audit/export, used once. */
export const auditExportLinkOutput = z.strictObject({ url: z.string().startsWith('/api/audit/export?ticket='), expiresInSeconds: z.number() });
