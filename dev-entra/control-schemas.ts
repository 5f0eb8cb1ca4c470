import { z } from 'zod';
import { MintOptionsSchema } from './mint-options';

/** Bodies of the `/_dev/` control API, validated before anything acts on them. */

export const TokenRequestSchema = MintOptionsSchema.extend({
  kind: z.enum(['access', 'id']).optional(),
}).strict();

export const AddKeySchema = z.object({ makeCurrent: z.boolean().optional() }).strict();

export const OutageSchema = z
  .object({
    down: z.boolean(),
    /** `unavailable`: 503 with an Entra-style JSON error; `reset`: the connection is dropped. */
    mode: z.enum(['unavailable', 'reset']).optional(),
  })
  .strict();

export const ConfigSchema = z
  .object({
    apiTokenVersion: z.union([z.literal(1), z.literal(2)]).optional(),
    redirectUris: z.record(z.string(), z.array(z.string().min(1))).optional(),
  })
  .strict();

export const RawTokenSchema = z
  .object({
    header: z.record(z.string(), z.unknown()),
    payload: z.record(z.string(), z.unknown()),
    alg: z.enum(['none', 'HS256-with-public-key', 'RS256']),
  })
  .strict();
