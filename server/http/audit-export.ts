import 'server-only';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { writeTransaction } from '@/db/transaction';
import { changeEventFilterSchema } from '@/server/audit-reports/change-log';
import { recordChange } from '@/server/audit/changes';
import { exportChangeEvents, exportFileInfo, exportFormats, exportLoginEvents, toReadableStream } from '@/server/audit-reports/export';
import { redeemExportTicket } from '@/server/audit-reports/export-ticket';
import type { Actor } from '@/server/audit/changes';
import { loginEventFilterSchema } from '@/server/audit/login-filter';
import { AppError } from '@/shared/error-model';
import { authenticateConsole, consoleRequestFacts, type ConsoleActor } from '@/server/console-auth/authenticate';
import { ConsoleAuthError } from '@/server/console-auth/errors';
import { requireRole } from '@/server/console-auth/require-role';
import { clientIp, errorResponse, invalidInputResponse } from './responses';
import { isHttpsDeployment } from '@/server/lib/security-headers';

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
      if (redeemed.problem === 'used')
        return errorResponse(
          new AppError('gone', 'ticket_used', 'This export link was already used; each link works once. Export again from the console.', {
            error: 'ticket_used',
          }),
        );
      return errorResponse(new AppError('unauthorized', 'ticket_invalid', 'This export link has expired or is not valid. Export again from the console.'));
    }
    const { ticket } = redeemed;
    return streamExport({ ...ticket.actor, ip: clientIp(request) }, ticket.stream, ticket.format, ticket.filter);
  }
  // the console's own authentication and roles (server/console-auth), as tRPC's auditor procedures
  const facts = consoleRequestFacts(request, isHttpsDeployment());
  let actor: ConsoleActor;
  try {
    actor = requireRole(await authenticateConsole(db, request, facts), ['auditor', 'admin'], { signInMessage: 'Sign in to export the audit trail.' });
  } catch (err) {
    if (err instanceof ConsoleAuthError) return errorResponse(err);
    throw err;
  }

  const { stream: streamParam, format: formatParam, ...filterParams } = params;
  const query = querySchema.safeParse({ stream: streamParam, format: formatParam });
  if (!query.success) return invalidInputResponse(query.error);
  const { stream, format } = query.data;
  const filter = (stream === 'logins' ? loginEventFilterSchema : changeEventFilterSchema).safeParse(filterParams);
  if (!filter.success) return invalidInputResponse(filter.error);
  return streamExport({ kind: actor.kind, name: actor.name, id: actor.id, ip: clientIp(request) }, stream, format, filter.data);
}

function streamExport(actor: Actor, stream: 'logins' | 'changes', format: (typeof exportFormats)[number], filter: Record<string, unknown>): Response {
  const db = getDb();
  writeTransaction(db, () => recordChange(db, actor, { action: 'audit.export', targetType: 'audit', targetId: stream, after: { format, filter } }));
  const chunks = stream === 'logins' ? exportLoginEvents(db, filter, { format }) : exportChangeEvents(db, filter, { format });
  const { contentType, fileName } = exportFileInfo(stream, format);
  return new Response(toReadableStream(chunks), {
    status: 200,
    headers: {
      'content-type': contentType,
      'content-disposition': `attachment; filename="${fileName}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}
