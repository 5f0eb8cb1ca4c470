import 'server-only';
import { getLoginChart } from '@/server/audit/login-chart';
import { directoryCounts } from '@/server/directory/counts';
import { recentSignIns } from '@/server/directory/sign-ins';
import { keyHealth } from '@/server/entra/metadata';
import { getSettings } from '@/server/settings/service';
import { auditorProcedure, router } from '../init';
import { overviewChartInput, overviewChartOutput, overviewSummaryInput, overviewSummaryOutput } from './overview.schemas';

export const RECENT_LOGINS_SHOWN = 10;

export const overviewRouter = router({
  /** Is SSO on, what /sso-meta serves, recent sign-ins, key health and directory counts. */
  summary: auditorProcedure
    .input(overviewSummaryInput)
    .output(overviewSummaryOutput)
    .query(({ ctx }) => {
      const s = getSettings(ctx.db);
      return {
        sso: { enabled: s.effective.enabled, complete: s.effective.complete, version: s.version, updatedAt: s.updatedAt, updatedBy: s.updatedBy },
        meta: s.meta.document,
        recentLogins: recentSignIns(ctx.db, { limit: RECENT_LOGINS_SHOWN }),
        keyHealth: s.effective.complete ? keyHealth(s.effective) : null,
        counts: directoryCounts(ctx.db),
      };
    }),
  /** Sign-in attempts by outcome and method: 24 hourly buckets, or 7 / 30 daily ones in the viewer's days. */
  chart: auditorProcedure
    .input(overviewChartInput)
    .output(overviewChartOutput)
    .query(({ ctx, input }) => getLoginChart(ctx.db, input)),
});
