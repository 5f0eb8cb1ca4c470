import { z } from 'zod';

const tokenVersion = z.union([z.literal(1), z.literal(2)]);

/**
 * Options of `mintAccessToken`/`mintIdToken`, and the body of `POST /_dev/tokens`. Time
 * options are offsets in seconds from now.
 */
export const MintOptionsSchema = z
  .object({
    /** Demo user key (see DEMO_USERS); default `password`. */
    user: z.string().optional(),
    /** Access token format; default the emulated API's `apiTokenVersion`. ID tokens are always v2. */
    version: tokenVersion.optional(),
    /** Issuing tenant (`tid`, `iss`); default the user's directory. */
    tenantId: z.string().optional(),
    /** `aud`; default `api://<clientId>` (v1) or the client ID GUID (v2); the client ID for ID tokens. */
    audience: z.string().optional(),
    /** The client the token was issued to (`appid`/`azp`, the ID token's `aud`); default DEMO_CLIENT_ID. */
    clientId: z.string().optional(),
    /** Scope names for `scp`; default `['UserProfile.ReadWrite']`; `[]` leaves `scp` out. */
    scopes: z.array(z.string()).optional(),
    roles: z.array(z.string()).optional(),
    groups: z.union([z.array(z.string()), z.literal('overage')]).optional(),
    /** Added or overriding claims, applied after the defaults. */
    claims: z.record(z.string(), z.unknown()).optional(),
    omitClaims: z.array(z.string()).optional(),
    /** Added or overriding header parameters, e.g. `jku`, `x5u`, `x5c`. */
    header: z.record(z.string(), z.unknown()).optional(),
    omitHeader: z.array(z.string()).optional(),
    /** `exp` offset; default 3600; negative means already expired. */
    expiresInSeconds: z.number().optional(),
    /** `nbf` offset; default the `iat` offset. */
    notBeforeSeconds: z.number().optional(),
    /** `iat` offset; default 0. */
    issuedAtSeconds: z.number().optional(),
    /** Header `kid` (and v1 `x5t`). A kid the emulator made (even retired) also selects that key. */
    kid: z.string().optional(),
    /** `unpublished`: sign with a key that no key set contains. */
    signWith: z.enum(['current', 'unpublished']).optional(),
    /** ID tokens only. */
    nonce: z.string().optional(),
    ipaddr: z.string().optional(),
  })
  .strict();

export type MintOptions = z.input<typeof MintOptionsSchema>;

/** Thrown when mint options name something the emulator does not know. */
export class MintError extends Error {
  readonly code = 'ERR_DEV_ENTRA_MINT';
}
