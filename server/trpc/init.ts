import 'server-only';
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { SettingsValidationError } from '@/server/settings/errors';
import { LocalAuthError } from '@/server/sessions/local-admin';
import type { ConsoleActor, Context, Role } from './context';
import { toTRPCError } from './errors';

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      ...shape,
      // unknown errors never surface their message
      message: error.code === 'INTERNAL_SERVER_ERROR' ? 'Something went wrong on the server.' : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        issues:
          cause instanceof SettingsValidationError
            ? cause.issues
            : cause instanceof ZodError
              ? cause.issues.map((i) => ({ field: i.path.map(String).join('.') || '(input)', message: i.message }))
              : null,
        reason: cause instanceof LocalAuthError ? cause.reason : null,
      },
    };
  },
});

export const createCallerFactory = t.createCallerFactory;
export const router = t.router;

/** Maps thrown domain errors to tRPC errors in one place. */
const mapErrors = t.middleware(async ({ ctx, next }) => {
  const result = await next();
  if (!result.ok) {
    const { error } = result;
    // tRPC wraps anything thrown that is not a TRPCError as INTERNAL_SERVER_ERROR with the original as cause
    const mapped = error.code === 'INTERNAL_SERVER_ERROR' && error.cause ? toTRPCError(error.cause) : error;
    if (mapped.cause instanceof LocalAuthError && mapped.cause.retryAfterSeconds !== null) ctx.resHeaders.set('retry-after', String(mapped.cause.retryAfterSeconds));
    throw mapped;
  }
  return result;
});

export const publicProcedure = t.procedure.use(mapErrors);

const signedIn = t.middleware(({ ctx, type, next }) => {
  if (!ctx.actor) throw new TRPCError({ code: 'UNAUTHORIZED', message: ctx.authProblem ?? 'Sign in to use the console.' });
  if (type === 'mutation' && ctx.actor.kind === 'local' && !ctx.csrfOk) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Cross-site request refused.' });
  }
  return next({ ctx: { ...ctx, actor: ctx.actor as ConsoleActor } });
});

function requireRole(allowed: Role[]) {
  return t.middleware(({ ctx, next }) => {
    const actor = (ctx as Context).actor!;
    if (!actor.roles.some((r) => allowed.includes(r))) {
      throw new TRPCError({ code: 'FORBIDDEN', message: allowed.includes('auditor') ? 'You need the auditor or admin role.' : 'You need the admin role.' });
    }
    return next();
  });
}

/** Any signed-in console user, with or without a role. */
export const signedInProcedure = publicProcedure.use(signedIn);
/** Auditors and admins: read everything. */
export const auditorProcedure = signedInProcedure.use(requireRole(['auditor', 'admin']));
/** Admins: change settings, users and groups. */
export const adminProcedure = signedInProcedure.use(requireRole(['admin']));
