import 'server-only';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { writeTransaction } from '@/db/transaction';
import { changeEventFilterSchema } from '@/server/audit/change-log';
import { recordChange } from '@/server/audit/changes';
import { exportChangeEvents, exportFileInfo, exportFormats, exportLoginEvents, toReadableStream } from '@/server/audit/export';
import { redeemExportTicket } from '@/server/audit/export-ticket';
import type { Actor } from '@/server/audit/changes';
import { loginEventFilterSchema } from '@/server/audit/login-filter';
import { auditActor, createContext } from '@/server/trpc/context';
import { clientIp, json } from './responses';

const querySchema = z.object({ stream: z.enum(['logins', 'changes']).default('logins'), format: z.enum(exportFormats).default('csv') });

/**
 * GET /api/audit/export?stream=logins|changes&format=csv|jsonl&<filters>: the filtered login
 * history or change log, streamed (flat memory for millions of rows). Same authentication as
 * the console API (MSAL bearer token or the local admin's cookie); auditors and admins only.
 * Each export is itself recorded in the change log.
 */
export async function GET(request: Request): Promise<Response> {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const db = getDb();
  if (params.ticket !== undefined) {
    // a signed link from audit.exportLink: the filter was validated when it was issued
    const redeemed = await redeemExportTicket(db, params.ticket);
    if ('problem' in redeemed) {
      if (redeemed.problem === 'used') return json({ error: 'ticket_used', message: 'This export link was already used; each link works once. Export again from the console.' }, 410);
      return json({ error: 'unauthorized', message: 'This export link has expired or is not valid. Export again from the console.' }, 401);
    }
    const { ticket } = redeemed;
    return streamExport({ ...ticket.actor, ip: clientIp(request) }, ticket.stream, ticket.format, ticket.filter);
  }
  const ctx = await createContext({ req: request, resHeaders: new Headers() });
  if (!ctx.actor) return json({ error: 'unauthorized', message: ctx.authProblem ?? 'Sign in to export the audit trail.' }, 401);
  if (!ctx.actor.roles.some((r) => r === 'auditor' || r === 'admin')) return json({ error: 'forbidden', message: 'You need the auditor or admin role.' }, 403);

  const { stream: streamParam, format: formatParam, ...filterParams } = params;
  const query = querySchema.safeParse({ stream: streamParam, format: formatParam });
  if (!query.success) return json({ error: 'invalid_request', issues: query.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })) }, 400);
  const { stream, format } = query.data;
  const filter = (stream === 'logins' ? loginEventFilterSchema : changeEventFilterSchema).safeParse(filterParams);
  if (!filter.success) return json({ error: 'invalid_request', issues: filter.error.issues.map((i) => ({ field: i.path.join('.') || String((i as { keys?: string[] }).keys ?? ''), message: i.message })) }, 400);
  return streamExport(auditActor({ ...ctx, actor: ctx.actor }), stream, format, filter.data);
}

function streamExport(actor: Actor, stream: 'logins' | 'changes', format: (typeof exportFormats)[number], filter: Record<string, unknown>): Response {
  const db = getDb();
  writeTransaction(db, () => recordChange(db, actor, { action: 'audit.export', targetType: 'audit', targetId: stream, after: { format, filter } }));
  const chunks = stream === 'logins' ? exportLoginEvents(db, filter, { format }) : exportChangeEvents(db, filter, { format });
  const { contentType, fileName } = exportFileInfo(stream, format);
  return new Response(toReadableStream(chunks), {
    status: 200,
    headers: { 'content-type': contentType, 'content-disposition': `attachment; filename="${fileName}"`, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
  });
}
