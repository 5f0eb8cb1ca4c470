import 'server-only';
import { directoryCounts } from '@/server/directory/counts';
import { recentSignIns } from '@/server/directory/sign-ins';
import { keyHealth } from '@/server/entra/metadata';
import { getSettings } from '@/server/settings/service';
import { auditorProcedure, router } from '../init';
import { overviewSummaryOutput } from './overview.schemas';

export const RECENT_LOGINS_SHOWN = 10;

export const overviewRouter = router({
  /** Is SSO on, what /sso-meta serves, recent sign-ins, key health and directory counts. */
  summary: auditorProcedure.output(overviewSummaryOutput).query(({ ctx }) => {
    const s = getSettings(ctx.db);
    return {
      sso: { enabled: s.effective.enabled, complete: s.effective.complete, version: s.version, updatedAt: s.updatedAt, updatedBy: s.updatedBy },
      meta: s.meta.document,
      recentLogins: recentSignIns(ctx.db, { limit: RECENT_LOGINS_SHOWN }),
      keyHealth: s.effective.complete ? keyHealth(s.effective) : null,
      counts: directoryCounts(ctx.db),
    };
  }),
});
