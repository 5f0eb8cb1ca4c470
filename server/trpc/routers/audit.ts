import 'server-only';
import { verifyAuditChains } from '@/server/audit/verify';
import { auditorProcedure, router } from '../init';

export const auditRouter = router({
  /** Walks both hash chains (login history, change log): the count verified or the first broken link. Reads only. */
  verify: auditorProcedure.mutation(({ ctx }) => verifyAuditChains(ctx.db)),
});
