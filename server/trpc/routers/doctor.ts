import 'server-only';
import { z } from 'zod';
import { diagnoseToken } from '@/server/login/doctor';
import { getSettings } from '@/server/settings/service';
import { auditorProcedure, router } from '../init';

export const doctorRouter = router({
  /** Explains a pasted JWT against the current settings. Records nothing, consumes nothing. */
  diagnose: auditorProcedure
    .input(z.object({ token: z.string().min(1).max(64 * 1024) }))
    .mutation(({ ctx, input }) => diagnoseToken(ctx.db, getSettings(ctx.db).effective, input.token)),
});
