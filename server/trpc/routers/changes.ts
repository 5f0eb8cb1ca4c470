import 'server-only';
import { getChangeEvent, listChangeEvents } from '@/server/audit-reports/change-log';
import { auditorProcedure, router } from '../init';
import { changesGetInput, changesGetOutput, changesListInput, changesListOutput } from './changes.schemas';

export const changesRouter = router({
  /** The change log (settings versions, user and group changes, break-glass events), newest first. */
  list: auditorProcedure
    .input(changesListInput)
    .output(changesListOutput)
    .query(({ ctx, input }) => listChangeEvents(ctx.db, input.filter, { cursor: input.cursor, limit: input.limit })),
  /** One change with its before/after. */
  get: auditorProcedure
    .input(changesGetInput)
    .output(changesGetOutput)
    .query(({ ctx, input }) => getChangeEvent(ctx.db, input.id)),
});
