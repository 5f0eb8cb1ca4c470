import 'server-only';
import { z } from 'zod';
import { chartRanges, loginChartSchema, loginEventListItemSchema } from '@/server/audit/schemas';
import { directoryCountsSchema } from '@/server/directory/schemas';
import { keyHealthSchema } from '@/server/entra/schemas';
import { ssoMetaDocumentSchema } from '@/shared/settings/shapes';

/** Inputs and outputs of the `overview` router, named after the procedure. Times are epoch milliseconds. */

/** A sign-in attempt as the overview lists it. */
export const recentLoginSchema = loginEventListItemSchema.pick({
  id: true,
  ts: true,
  outcome: true,
  reason: true,
  reasonLabel: true,
  username: true,
  displayName: true,
  userId: true,
  signInMethod: true,
  signInMethodLabel: true,
  clientAppId: true,
  ip: true,
});

export const overviewSummaryInput = z.void();
export const overviewSummaryOutput = z.object({
  sso: z.object({
    enabled: z.boolean(),
    /** Tenant, client and authority known. */
    complete: z.boolean(),
    /** 0 when nothing was ever saved. */
    version: z.number(),
    updatedAt: z.number().nullable(),
    updatedBy: z.string().nullable(),
  }),
  /** What GET /sso-meta serves now; null when it answers 404 sso_not_configured. */
  meta: ssoMetaDocumentSchema.nullable(),
  /** The last 10 sign-in attempts, newest first. */
  recentLogins: z.array(recentLoginSchema),
  /** Discovery and key cache of this process; null until the tenant is configured. */
  keyHealth: keyHealthSchema.nullable(),
  counts: directoryCountsSchema,
});

export const overviewChartInput = z
  .object({
    range: z.enum(chartRanges).default('7d'),
    /** The viewer's offset from UTC in minutes, east positive (`-new Date().getTimezoneOffset()`). */
    utcOffsetMinutes: z.number().int().min(-840).max(840).default(0),
  })
  .strict()
  .prefault({});

export const overviewChartOutput = loginChartSchema;
