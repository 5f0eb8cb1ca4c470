import 'server-only';
import { issueExportTicket, EXPORT_TICKET_TTL_MS } from '@/server/audit-reports/export-ticket';
import { verifyAuditChains } from '@/server/audit/verify';
import { auditActor } from '../context';
import { auditorProcedure, router } from '../init';
import { auditExportLinkInput, auditExportLinkOutput, auditVerifyInput, auditVerifyOutput } from './audit.schemas';

export const auditRouter = router({
  /** Walks both hash chains (login history, change log): the count verified or the first broken link. Reads only. */
  verify: auditorProcedure
    .input(auditVerifyInput)
    .output(auditVerifyOutput)
    .mutation(({ ctx }) => verifyAuditChains(ctx.db)),
  /** A one-minute signed link to /api/audit/export, so the browser streams a large export to disk. */
  exportLink: auditorProcedure
    .input(auditExportLinkInput)
    .output(auditExportLinkOutput)
    .mutation(async ({ ctx, input }) => {
      const actor = auditActor(ctx);
      const ticket = await issueExportTicket(ctx.db, {
        stream: input.stream,
        format: input.format,
        filter: input.filter,
        actor: { kind: actor.kind, name: actor.name, ...(actor.id ? { id: actor.id } : {}) },
      });
      return { url: `/api/audit/export?ticket=${encodeURIComponent(ticket)}`, expiresInSeconds: EXPORT_TICKET_TTL_MS / 1000 };
    }),
});
