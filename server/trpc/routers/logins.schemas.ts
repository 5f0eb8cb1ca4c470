import 'server-only';
import { z } from 'zod';
import { loginEventFilterSchema } from '@/server/audit/login-history';
import { auditPageOutputSchema, loginEventDetailSchema, loginEventListItemSchema, loginStatsSchema, refusalContextSchema } from '@/server/audit/schemas';
import { pageInputShape } from '@/server/lib/paging';

/** Inputs and outputs of the `logins` router, named after the procedure. Times are epoch milliseconds. */

export const loginsListInput = z
  .object({ filter: loginEventFilterSchema.default({}), ...pageInputShape('logins') })
  .strict()
  .prefault({});
export const loginsListOutput = auditPageOutputSchema(loginEventListItemSchema);

export const loginsGetInput = z.object({ id: z.number().int().positive() }).strict();
/** Every recorded field (no chain hashes), and for a refusal what an auditor should check. */
export const loginsGetOutput = loginEventDetailSchema.omit({ prevHash: true, hash: true }).extend({ refusal: refusalContextSchema.nullable() });

export const loginsStatsInput = z.void();
export const loginsStatsOutput = loginStatsSchema;
