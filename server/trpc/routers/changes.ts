import 'server-only';
import { z } from 'zod';
import { changeEventFilterSchema, getChangeEvent, listChangeEvents } from '@/server/audit/change-log';
import { pageInputShape } from '@/server/lib/paging';
import { auditorProcedure, router } from '../init';

export const changesListInput = z
  .object({ filter: changeEventFilterSchema.default({}), ...pageInputShape('changes') })
  .strict()
  .default({ filter: {}, limit: 50 });
export const changesGetInput = z.object({ id: z.number().int().positive() }).strict();

export const changesRouter = router({
  /** The change log (settings versions, user and group changes, break-glass events), newest first. */
  list: auditorProcedure.input(changesListInput).query(({ ctx, input }) => listChangeEvents(ctx.db, input.filter, { cursor: input.cursor, limit: input.limit })),
  /** One change with its before/after. */
  get: auditorProcedure.input(changesGetInput).query(({ ctx, input }) => getChangeEvent(ctx.db, input.id)),
});
