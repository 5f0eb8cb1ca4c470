import 'server-only';
import { z } from 'zod';
import { reasonCodes, type ReasonCode } from '@/shared/login-reasons';

/*
 * What the Entra module reports to the console, as zod: its types are inferred from these,
 * and the tRPC routers (settings, doctor, overview) declare them as outputs. Times are epoch milliseconds.
 */

const reasonCode = z.enum(reasonCodes as [ReasonCode, ...ReasonCode[]]);

/** The discovery and key cache of one server process. */
export const keyHealthSchema = z.object({
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

/** One step of "Check configuration". */
export const checkStepSchema = z.object({
  id: z.enum(['discovery', 'issuer', 'endpoints', 'keys', 'v1', 'graph_credential', 'graph_token', 'graph_call']),
  label: z.string(),
  ok: z.boolean(),
  /** Plain words: what was found, and what to do when it is wrong. */
  detail: z.string(),
});

export const doctorStepSchema = z.object({
  rule: z.string(),
  label: z.string(),
  /** null: not checked because an earlier step made it impossible. */
  ok: z.boolean().nullable(),
  reason: reasonCode.optional(),
  detail: z.string(),
  fix: z.string().optional(),
});

/** How the validator judges a pasted token: every rule's verdict with the fix in plain words. */
export const diagnosisSchema = z.object({
  header: z.record(z.string(), z.unknown()).nullable(),
  payload: z.record(z.string(), z.unknown()).nullable(),
  tokenVersion: z.enum(['1.0', '2.0']).nullable(),
  looksLike: z.enum(['access token', 'ID token', 'app-only token', 'unknown']),
  steps: z.array(doctorStepSchema),
  accepted: z.boolean(),
  firstFailure: z.object({ reason: reasonCode, message: z.string() }).nullable(),
});
