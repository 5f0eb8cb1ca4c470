import 'server-only';
import { TRPCError } from '@trpc/server';
import { stringifySetCookie } from 'cookie';
import { completeSetup, endConsoleSession, hasLocalAdmin, inspectSetupToken, CONSOLE_SESSION_TTL_MS } from '@/server/sessions/local-admin';
import { signInLocalAdmin } from '@/server/sessions/local-sign-in';
import { getSettings } from '@/server/settings/service';
import { recordConsoleSignIn, recordConsoleSignOut } from '@/server/audit/console-access';
import { countBreakGlassRefusal, countBreakGlassSignIn } from '@/server/lib/metrics';
import { auditActor, consoleCookieName, type Context } from '../context';
import { publicProcedure, router, signedInProcedure } from '../init';
import {
  authCompleteSetupInput,
  authCompleteSetupOutput,
  authConfigInput,
  authConfigOutput,
  authLocalSignInInput,
  authLocalSignInOutput,
  authMeInput,
  authMeOutput,
  authSetupStatusInput,
  authSetupStatusOutput,
  authSignedInInput,
  authSignedInOutput,
  authSignOutInput,
  authSignOutOutput,
} from './auth.schemas';

function setConsoleCookie(ctx: Context, token: string, maxAgeMs: number): void {
  const cookie = stringifySetCookie(consoleCookieName(ctx.secure), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    maxAge: Math.floor(maxAgeMs / 1000),
    secure: ctx.secure,
  });
  ctx.resHeaders.append('set-cookie', cookie);
}

/** Sign-in with a password is a state change too: refuse it cross-site. */
function requireCsrf(ctx: Context): void {
  if (!ctx.csrfOk) throw new TRPCError({ code: 'FORBIDDEN', message: 'Cross-site request refused.' });
}

export const authRouter = router({
  /** Who is calling, with which roles; whether the first local admin still has to be created. */
  me: publicProcedure
    .input(authMeInput)
    .output(authMeOutput)
    .query(({ ctx }) => ({
      actor: ctx.actor
        ? {
            kind: ctx.actor.kind,
            name: ctx.actor.name,
            displayName: ctx.actor.displayName,
            roles: ctx.actor.roles,
            groupsUnresolved: ctx.actor.groupsUnresolved ?? false,
          }
        : null,
      authProblem: ctx.authProblem,
      setupRequired: !hasLocalAdmin(ctx.db),
    })),
  /** What MSAL needs to sign console users in against the configured tenant (same values as /sso-meta). */
  config: publicProcedure
    .input(authConfigInput)
    .output(authConfigOutput)
    .query(({ ctx }) => {
      const s = getSettings(ctx.db).effective;
      if (!s.enabled || !s.complete) return { entra: null };
      return {
        entra: {
          clientId: s.clientId,
          tenantId: s.tenantId,
          authority: `${s.authorityHost}/${s.tenantId}`,
          knownAuthorities: [new URL(s.authorityHost).host],
          scopes: [s.scope],
          domainHint: s.domainHint,
        },
      };
    }),
  localSignIn: publicProcedure
    .input(authLocalSignInInput)
    .output(authLocalSignInOutput)
    .mutation(async ({ ctx, input }) => {
      requireCsrf(ctx);
      const session = await signInLocalAdmin(ctx.db, { ...input, ip: ctx.ip, userAgent: ctx.userAgent }).catch((err: unknown) => {
        countBreakGlassRefusal(err);
        throw err;
      });
      countBreakGlassSignIn('accepted', null);
      setConsoleCookie(ctx, session.sessionToken, CONSOLE_SESSION_TTL_MS);
      return { username: session.username, expiresAt: new Date(session.expiresAt).toISOString() };
    }),
  /**
   * The console calls this once after a Microsoft sign-in: the server records who it
   * authenticated (`console.sign_in`), never a name the client gives.
   */
  signedIn: signedInProcedure
    .input(authSignedInInput)
    .output(authSignedInOutput)
    .mutation(({ ctx }) => ({ recorded: recordConsoleSignIn(ctx.db, { ...auditActor(ctx), id: ctx.actor.id, kind: ctx.actor.kind, roles: ctx.actor.roles }) })),
  signOut: signedInProcedure
    .input(authSignOutInput)
    .output(authSignOutOutput)
    .mutation(({ ctx }) => {
      recordConsoleSignOut(ctx.db, { ...auditActor(ctx), id: ctx.actor.id, kind: ctx.actor.kind, roles: ctx.actor.roles });
      if (ctx.actor.kind === 'local' && ctx.actor.consoleSessionId) endConsoleSession(ctx.db, ctx.actor.consoleSessionId);
      setConsoleCookie(ctx, '', 0);
      return { ok: true as const };
    }),
  /**
   * Whether a setup link still works (the page asks before showing the form). Uses nothing; a
   * mutation so that the token travels in a POST body, never in a URL that proxies log.
   */
  setupStatus: publicProcedure
    .input(authSetupStatusInput)
    .output(authSetupStatusOutput)
    .mutation(({ ctx, input }) => inspectSetupToken(ctx.db, input.token)),
  completeSetup: publicProcedure
    .input(authCompleteSetupInput)
    .output(authCompleteSetupOutput)
    .mutation(async ({ ctx, input }) => {
      requireCsrf(ctx);
      const session = await completeSetup(ctx.db, { ...input, ip: ctx.ip, userAgent: ctx.userAgent });
      setConsoleCookie(ctx, session.sessionToken, CONSOLE_SESSION_TTL_MS);
      return { username: session.username };
    }),
});
