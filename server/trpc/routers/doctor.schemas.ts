import 'server-only';
import { z } from 'zod';
import { diagnosisSchema } from '@/server/entra/schemas';

/** Inputs and outputs of the `doctor` router, named after the procedure. */

export const doctorDiagnoseInput = z
  .object({
    token: z
      .string()
      .min(1)
      .max(64 * 1024),
  })
  .strict();
export const doctorDiagnoseOutput = diagnosisSchema;
