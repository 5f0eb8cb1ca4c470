import 'server-only';
import { initTRPC } from '@trpc/server';
import { serverErrorMessage } from '@/shared/error-model';
import { requireConsoleActor, requireRole as requireConsoleRole } from '@/server/console-auth/require-role';
import type { Role } from '@/server/console-auth/roles';
import { consoleAuthOf, type Context } from './context';
import { errorDataOf, toTRPCError } from './errors';

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error, ctx }) {
    const requestId = ctx?.requestId ?? null;
    return {
      ...shape,
      // unknown errors never surface their message
      message: error.code === 'INTERNAL_SERVER_ERROR' ? serverErrorMessage(requestId) : shape.message,
      data: { code: shape.data.code, httpStatus: shape.data.httpStatus, ...errorDataOf(error, requestId) },
    };
  },
});

export const createCallerFactory = t.createCallerFactory;
export const router = t.router;

/** Maps thrown errors to tRPC errors in one place (server/trpc/errors.ts), and sends `Retry-After` when the error says when. */
const mapErrors = t.middleware(async ({ ctx, next }) => {
  const result = await next();
  if (!result.ok) {
    const mapped = toTRPCError(result.error, ctx.requestId ?? null);
    const retryAfter = (mapped.cause as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if (typeof retryAfter === 'number') ctx.resHeaders.set('retry-after', String(retryAfter));
    throw mapped;
  }
  return result;
});

export const publicProcedure = t.procedure.use(mapErrors);

const signedIn = t.middleware(({ ctx, type, next }) => {
  const actor = requireConsoleActor(consoleAuthOf(ctx), { mutation: type === 'mutation', csrfOk: ctx.csrfOk });
  return next({ ctx: { ...ctx, actor } });
});

function requireRole(allowed: Role[]) {
  return t.middleware(({ ctx, next }) => {
    requireConsoleRole(consoleAuthOf(ctx), allowed);
    return next();
  });
}

/** Any signed-in console user, with or without a role. */
export const signedInProcedure = publicProcedure.use(signedIn);
/** Auditors and admins: read everything. */
export const auditorProcedure = signedInProcedure.use(requireRole(['auditor', 'admin']));
/** Admins: change settings, users and groups. */
export const adminProcedure = signedInProcedure.use(requireRole(['admin']));
