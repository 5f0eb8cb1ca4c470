import 'server-only';
import { z } from 'zod';
import { changeEventFilterSchema } from '@/server/audit/change-log';
import { exportFormats } from '@/server/audit/export';
import { issueExportTicket, EXPORT_TICKET_TTL_MS } from '@/server/audit/export-ticket';
import { loginEventFilterSchema } from '@/server/audit/login-filter';
import { verifyAuditChains } from '@/server/audit/verify';
import { auditActor } from '../context';
import { auditorProcedure, router } from '../init';

export const auditExportLinkInput = z.discriminatedUnion('stream', [
  z.object({ stream: z.literal('logins'), format: z.enum(exportFormats), filter: loginEventFilterSchema.default({}) }).strict(),
  z.object({ stream: z.literal('changes'), format: z.enum(exportFormats), filter: changeEventFilterSchema.default({}) }).strict(),
]);

export const auditRouter = router({
  /** Walks both hash chains (login history, change log): the count verified or the first broken link. Reads only. */
  verify: auditorProcedure.mutation(({ ctx }) => verifyAuditChains(ctx.db)),
  /** A one-minute signed link to /api/audit/export, so the browser streams a large export to disk. */
  exportLink: auditorProcedure.input(auditExportLinkInput).mutation(async ({ ctx, input }) => {
    const actor = auditActor(ctx);
    const ticket = await issueExportTicket(ctx.db, { stream: input.stream, format: input.format, filter: input.filter, actor: { kind: actor.kind, name: actor.name, ...(actor.id ? { id: actor.id } : {}) } });
    return { url: `/api/audit/export?ticket=${encodeURIComponent(ticket)}`, expiresInSeconds: EXPORT_TICKET_TTL_MS / 1000 };
  }),
});
