import 'server-only';
import { z } from 'zod';
import { changeEventFilterSchema } from '@/server/audit-reports/change-log';
import { auditPageOutputSchema, changeEventDetailSchema, changeEventListItemSchema } from '@/server/audit/schemas';
import { pageInputShape } from '@/server/lib/paging';

/** Inputs and outputs of the `changes` router, named after the procedure. Times are epoch milliseconds. */

export const changesListInput = z
  .object({ filter: changeEventFilterSchema.default({}), ...pageInputShape('changes') })
  .strict()
  .prefault({});
export const changesListOutput = auditPageOutputSchema(changeEventListItemSchema);

export const changesGetInput = z.object({ id: z.number().int().positive() }).strict();
/** The event with its whole before/after (no chain hashes). */
export const changesGetOutput = changeEventDetailSchema.omit({ prevHash: true, hash: true });
