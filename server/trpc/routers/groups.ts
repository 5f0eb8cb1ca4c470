import 'server-only';
import { getGroupDetail } from '@/server/directory/group-detail';
import { groupNames } from '@/server/directory/group-names';
import { countGroups, listGroups } from '@/server/directory/list-groups';
import { updateGroup } from '@/server/directory/update-group';
import { auditActor } from '../context';
import { adminProcedure, auditorProcedure, router } from '../init';
import {
  groupsGetInput,
  groupsGetOutput,
  groupsListInput,
  groupsNamesInput,
  groupsNamesOutput,
  groupsListOutput,
  groupsUpdateInput,
  groupsUpdateOutput,
} from './groups.schemas';

export const groupsRouter = router({
  /** Groups seen in tokens with member counts; named ones first. */
  list: auditorProcedure
    .input(groupsListInput)
    .output(groupsListOutput)
    .query(({ ctx, input }) => ({ ...listGroups(ctx.db, input), total: countGroups(ctx.db, input.search) })),
  /** The known groups among these object IDs with their names (unknown IDs left out). */
  names: auditorProcedure
    .input(groupsNamesInput)
    .output(groupsNamesOutput)
    .query(({ ctx, input }) => groupNames(ctx.db, input.ids)),
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
