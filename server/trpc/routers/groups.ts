import 'server-only';
import { getGroupDetail } from '@/server/directory/group-detail';
import { listGroups } from '@/server/directory/list-groups';
import { updateGroup } from '@/server/directory/update-group';
import { auditActor } from '../context';
import { adminProcedure, auditorProcedure, router } from '../init';
import { groupsGetInput, groupsGetOutput, groupsListInput, groupsListOutput, groupsUpdateInput, groupsUpdateOutput } from './groups.schemas';

export const groupsRouter = router({
  /** Groups seen in tokens with member counts; named ones first. */
  list: auditorProcedure
    .input(groupsListInput)
    .output(groupsListOutput)
    .query(({ ctx, input }) => listGroups(ctx.db, input)),
  /** A group and a page of its members. NOT_FOUND for a group never seen. */
  get: auditorProcedure
    .input(groupsGetInput)
    .output(groupsGetOutput)
    .query(({ ctx, input }) => getGroupDetail(ctx.db, input.id, { cursor: input.cursor, limit: input.limit })),
  /** Display name and assignment group; logged as group.update with the changed fields. */
  update: adminProcedure
    .input(groupsUpdateInput)
    .output(groupsUpdateOutput)
    .mutation(({ ctx, input }) => {
      const { id, comment, ...patch } = input;
      return updateGroup(ctx.db, id, patch, auditActor(ctx), comment);
    }),
});
