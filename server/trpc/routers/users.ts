import 'server-only';
import { TRPCError } from '@trpc/server';
import { getUserDetail } from '@/server/directory/user-detail';
import { entraIdOfUser, setUserStatus } from '@/server/directory/user-status';
import { listUsers } from '@/server/directory/list-users';
import { auditActor } from '../context';
import { adminProcedure, auditorProcedure, router } from '../init';
import {
  usersGetInput,
  usersGetOutput,
  usersListInput,
  usersListOutput,
  usersSetStatusInput,
  usersSetStatusOutput,
} from './users.schemas';

export const usersRouter = router({
  /** Users who signed in: search, status and group filters, keyset paging by (display name, id). */
  list: auditorProcedure
    .input(usersListInput)
    .output(usersListOutput)
    .query(({ ctx, input }) => listUsers(ctx.db, input)),
  /** Profile, groups, active sessions, last 20 sign-ins and claim snapshot. NOT_FOUND for an unknown ID. */
  get: auditorProcedure
    .input(usersGetInput)
    .output(usersGetOutput)
    .query(({ ctx, input }) => getUserDetail(ctx.db, input.id)),
  /** Disable (revokes sessions, refuses logins with user_disabled) or enable; logged as user.disable / user.enable. */
  setStatus: adminProcedure
    .input(usersSetStatusInput)
    .output(usersSetStatusOutput)
    .mutation(({ ctx, input }) => {
      if (input.status === 'disabled' && ctx.actor.kind === 'entra' && entraIdOfUser(ctx.db, input.id) === ctx.actor.id) {
        // the console refuses disabled users: this would lock the admin out at once
        throw new TRPCError({ code: 'BAD_REQUEST', message: 'You cannot disable your own account.' });
      }
      return setUserStatus(ctx.db, input.id, input.status, auditActor(ctx), input.comment);
    }),
});
