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

/** `PATCH /_dev/users/<key|oid|upn>`: account state as Graph reports it. */
export const UserChangeSchema = z
  .object({
    accountEnabled: z.boolean().optional(),
    signInSessionsValidFromDateTime: z.iso.datetime({ offset: true }).optional(),
    revokeSignInSessions: z.boolean().optional(),
  })
  .strict();

/** `POST /_dev/memberships`: add and remove a user's group memberships (group object IDs). */
export const MembershipChangeSchema = z
  .object({
    user: z.string().min(1),
    add: z.array(z.string().min(1)).max(1000).optional(),
    remove: z.array(z.string().min(1)).max(1000).optional(),
  })
  .strict();

/** `POST /_dev/app`: the ICE Server app's Graph permissions, its service principal's state, its token lifetime. */
export const AppChangeSchema = z
  .object({
    clientId: z.string().optional(),
    applicationPermissions: z.array(z.string().min(1)).max(100).optional(),
    enabled: z.boolean().optional(),
    accessTokenLifetimeSeconds: z.number().int().min(1).max(86_400).optional(),
  })
  .strict();

/** `POST /_dev/app-secrets`: a new client secret; negative `expiresInSeconds` makes an expired one. */
export const AddSecretSchema = z
  .object({
    clientId: z.string().optional(),
    secretText: z.string().min(1).max(512).optional(),
    expiresInSeconds: z
      .number()
      .int()
      .min(-86_400 * 365)
      .max(86_400 * 365 * 3)
      .optional(),
  })
  .strict();

/** `POST /_dev/app-certificates`: register a PEM certificate, or let the emulator generate one. */
export const AddCertificateSchema = z
  .object({
    clientId: z.string().optional(),
    certificatePem: z.string().min(1).max(16_384).optional(),
  })
  .strict();
