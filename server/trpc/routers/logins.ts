import 'server-only';
import { getLoginEvent, listLoginEvents } from '@/server/audit/login-history';
import { getLoginStats } from '@/server/audit/stats';
import { refusalContext } from '@/server/audit-reports/refusal-context';
import { auditorProcedure, router } from '../init';
import { loginsGetInput, loginsGetOutput, loginsListInput, loginsListOutput, loginsStatsInput, loginsStatsOutput } from './logins.schemas';

export const loginsRouter = router({
  /** The login history, newest first, filtered, with keyset paging (no OFFSET). */
  list: auditorProcedure
    .input(loginsListInput)
    .output(loginsListOutput)
    .query(({ ctx, input }) => listLoginEvents(ctx.db, input.filter, { cursor: input.cursor, limit: input.limit })),
  /** One attempt with every recorded field, for the detail panel. */
  get: auditorProcedure
    .input(loginsGetInput)
    .output(loginsGetOutput)
    .query(({ ctx, input }) => {
      const event = getLoginEvent(ctx.db, input.id);
      // for auditors: what to check, and for group_required the groups required against those held
      return { ...event, refusal: event.outcome === 'refused' ? refusalContext(ctx.db, event) : null };
    }),
  /** Sign-ins per hour over 7 days by outcome and method, the Seamless SSO share, and warnings on sharp changes. */
  stats: auditorProcedure
    .input(loginsStatsInput)
    .output(loginsStatsOutput)
    .query(({ ctx }) => getLoginStats(ctx.db)),
});
