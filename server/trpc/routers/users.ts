import 'server-only';
import { TRPCError } from '@trpc/server';
import { countUsers } from '@/server/directory/count-users';
import { getUserDetail } from '@/server/directory/user-detail';
import { entraIdOfUser, setUserStatus } from '@/server/directory/user-status';
import { listUsers } from '@/server/directory/list-users';
import { auditActor, type Context } from '../context';
import { adminProcedure, auditorProcedure, router } from '../init';
import { usersGetInput, usersGetOutput, usersListInput, usersListOutput, usersSetStatusInput, usersSetStatusOutput } from './users.schemas';

export const usersRouter = router({
  /** Users who signed in: search, status and group filters, keyset paging by (display name, id). */
  list: auditorProcedure
    .input(usersListInput)
    .output(usersListOutput)
    .query(({ ctx, input }) => ({ ...listUsers(ctx.db, input), total: countUsers(ctx.db, input) })),
  /** Profile, groups, active sessions, last 20 sign-ins and claim snapshot. NOT_FOUND for an unknown ID. */
  get: auditorProcedure
    .input(usersGetInput)
    .output(usersGetOutput)
    .query(({ ctx, input }) => {
      const user = getUserDetail(ctx.db, input.id);
      return { ...user, isYou: isCallerUser(ctx.actor, user) };
    }),
  /** Disable (revokes sessions, refuses logins with user_disabled) or enable; logged as user.disable / user.enable. */
  setStatus: adminProcedure
    .input(usersSetStatusInput)
    .output(usersSetStatusOutput)
    .mutation(({ ctx, input }) => {
      if (input.status === 'disabled' && !input.confirmSelf && ctx.actor.kind === 'entra' && entraIdOfUser(ctx.db, input.id) === ctx.actor.id) {
        // the console refuses disabled users: this locks the admin out at once, so it takes an explicit yes
        throw new TRPCError({ code: 'PRECONDITION_FAILED', message: SELF_DISABLE_MESSAGE });
      }
      return setUserStatus(ctx.db, input.id, input.status, auditActor(ctx), input.comment);
    }),
});

export const SELF_DISABLE_MESSAGE =
  'This is your own account: disabling it ends your console session and locks you out until another admin (or the break-glass admin) enables it. Confirm to go ahead.';

/** Is this directory user the Entra account making the call? (Local break-glass admins have none.) */
function isCallerUser(actor: Context['actor'], user: { tenantId: string; objectId: string }): boolean {
  return actor?.kind === 'entra' && actor.id === `${user.tenantId}:${user.objectId}`;
}
