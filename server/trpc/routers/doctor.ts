import 'server-only';
import { diagnoseToken } from '@/server/login/doctor';
import { getSettings } from '@/server/settings/service';
import { auditorProcedure, router } from '../init';
import { doctorDiagnoseInput, doctorDiagnoseOutput } from './doctor.schemas';

export const doctorRouter = router({
  /** Explains a pasted JWT against the current settings. Records nothing, consumes nothing. */
  diagnose: auditorProcedure
    .input(doctorDiagnoseInput)
    .output(doctorDiagnoseOutput)
    .mutation(({ ctx, input }) => diagnoseToken(ctx.db, getSettings(ctx.db).effective, input.token)),
});
