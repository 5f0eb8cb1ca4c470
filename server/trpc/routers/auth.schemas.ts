import 'server-only';
import { z } from 'zod';

/** Inputs and outputs of the `auth` router, named after the procedure. */

const username = z.string().trim().min(1).max(64);
const password = z.string().min(1).max(256);
const setupToken = z.string().min(1).max(256);
const role = z.enum(['admin', 'auditor']);
/** A mutation that takes nothing is sent `{}`: tRPC reads a POST body as JSON once a procedure has an input schema, and an empty body is not JSON. */
export const noMutationInput = z.object({}).strict();

export const authMeInput = z.void();
export const authMeOutput = z.strictObject({
  /** Who is calling, or null when not signed in. */
  actor: z
    .strictObject({
      kind: z.enum(['entra', 'local']),
      name: z.string(),
      displayName: z.string().nullable(),
      roles: z.array(role),
      /** Group-based roles could not be confirmed (groups overage), so none were granted. */
      groupsUnresolved: z.boolean(),
    })
    .nullable(),
  /** Why a presented credential was refused; null when none was, or it was accepted. */
  authProblem: z.string().nullable(),
  /** No local admin exists yet: the first one is created through a setup link. */
  setupRequired: z.boolean(),
});

export const authConfigInput = z.void();
/** What MSAL needs; `entra` is null while SSO is off or incomplete. */
export const authConfigOutput = z.strictObject({
  entra: z
    .strictObject({
      clientId: z.string(),
      tenantId: z.string(),
      authority: z.string(),
      knownAuthorities: z.array(z.string()),
      scopes: z.array(z.string()),
      domainHint: z.string().nullable(),
    })
    .nullable(),
});

export const authLocalSignInInput = z.object({ username, password }).strict();
/** The cookie carries the session; the body never does. */
export const authLocalSignInOutput = z.strictObject({ username: z.string(), expiresAt: z.iso.datetime() });

export const authSignedInInput = noMutationInput;
/** False when the sign-in was folded into a recent one of the same person (reloads, tabs), or for the local admin. */
export const authSignedInOutput = z.strictObject({ recorded: z.boolean() });

export const authSignOutInput = noMutationInput;
export const authSignOutOutput = z.strictObject({ ok: z.literal(true) });

export const authSetupStatusInput = z.object({ token: setupToken }).strict();
export const authSetupStatusOutput = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), purpose: z.enum(['setup', 'reset']) }),
  z.strictObject({ ok: z.literal(false), reason: z.enum(['setup_link_invalid', 'setup_link_expired', 'setup_link_used']) }),
]);

export const authCompleteSetupInput = z.object({ username, password, token: setupToken }).strict();
export const authCompleteSetupOutput = z.strictObject({ username: z.string() });
