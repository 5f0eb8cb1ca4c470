import { z } from 'zod';

/** Output of `overview.summary` (pure zod; see users.schemas.ts). Times are epoch milliseconds. */

/** The /sso-meta document (docs/contract.md), keys in its order; optional keys only when set. A key added there must be added here (a test compares the two). */
const ssoMetaSchema = z.object({
  provider: z.literal('azure_ad'),
  audience: z.string(),
  authorizationUrl: z.string(),
  tokenUrl: z.string(),
  redirectUrl: z.string(),
  tenantId: z.string(),
  clientId: z.string(),
  openIdConfUrl: z.string(),
  scope: z.string(),
  importUserGroups: z.boolean(),
  domainHint: z.string().optional(),
});

const keyHealthSchema = z.object({
  openIdConfUrl: z.string(),
  jwksUri: z.string().nullable(),
  lastDiscoveryAt: z.number().nullable(),
  lastKeyFetchAt: z.number().nullable(),
  keyIds: z.array(z.string()),
  source: z.enum(['network', 'database']).nullable(),
  lastError: z.string().nullable(),
  lastErrorAt: z.number().nullable(),
  fetches: z.number(),
});

export const recentLoginSchema = z.object({
  id: z.number(),
  ts: z.number(),
  outcome: z.enum(['accepted', 'refused']),
  reason: z.string().nullable(),
  reasonLabel: z.string(),
  username: z.string().nullable(),
  displayName: z.string().nullable(),
  userId: z.string().nullable(),
  signInMethod: z.string().nullable(),
  signInMethodLabel: z.string(),
  clientAppId: z.string().nullable(),
  ip: z.string().nullable(),
});

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
  meta: ssoMetaSchema.nullable(),
  /** The last 10 sign-in attempts, newest first. */
  recentLogins: z.array(recentLoginSchema),
  /** Discovery and key cache of this process; null until the tenant is configured. */
  keyHealth: keyHealthSchema.nullable(),
  counts: z.object({
    users: z.object({ total: z.number(), active: z.number(), disabled: z.number() }),
    groups: z.number(),
    /** Sign-in attempts (accepted + refused) in [now - 24 h, now). */
    signIns24h: z.object({ attempts: z.number(), accepted: z.number(), refused: z.number() }),
  }),
});

const chartBucketSchema = z.object({
  start: z.number(),
  end: z.number(),
  attempts: z.number(),
  accepted: z.number(),
  refused: z.number(),
  methods: z.record(z.string(), z.number()),
});

export const overviewChartInput = z
  .object({
    range: z.enum(['24h', '7d', '30d']).default('7d'),
    /** The viewer's offset from UTC in minutes, east positive (`-new Date().getTimezoneOffset()`). */
    utcOffsetMinutes: z.number().int().min(-840).max(840).default(0),
  })
  .strict()
  .prefault({});

export const overviewChartOutput = z.object({
  range: z.enum(['24h', '7d', '30d']),
  bucketMs: z.number(),
  from: z.number(),
  to: z.number(),
  buckets: z.array(chartBucketSchema),
  totals: z.object({ attempts: z.number(), accepted: z.number(), refused: z.number() }),
  methods: z.array(z.string()),
});
