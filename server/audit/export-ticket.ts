import 'server-only';
import crypto from 'node:crypto';
import { z } from 'zod';
import type { Db } from '@/db/client';
import type { Actor } from './changes';
import { exportFormats } from './export';
import { auditKey } from './key';

/** How long an export link works: long enough to click, too short to be worth stealing. */
export const EXPORT_TICKET_TTL_MS = 60_000;

const ticketSchema = z.object({
  stream: z.enum(['logins', 'changes']),
  format: z.enum(exportFormats),
  filter: z.record(z.string(), z.unknown()),
  actor: z.object({ kind: z.enum(['cli', 'local', 'entra', 'system']), name: z.string(), id: z.string().optional() }),
  exp: z.number(),
});
export type ExportTicket = z.infer<typeof ticketSchema>;

/** A key for tickets only, derived from the audit key so that a ticket signature is never a chain hash. */
function ticketKey(db: Db): Buffer {
  return crypto.createHmac('sha256', auditKey(db)).update('ice-sso export ticket v1').digest();
}

/**
 * A signed, short-lived ticket for one export, so that the browser can stream a large export
 * straight to disk through a plain link (a link cannot carry the MSAL bearer token). The
 * ticket carries the already-validated filter and who asked; nothing is stored.
 */
export function issueExportTicket(db: Db, ticket: Omit<ExportTicket, 'exp'>, now = Date.now()): string {
  const payload = Buffer.from(JSON.stringify({ ...ticket, exp: now + EXPORT_TICKET_TTL_MS })).toString('base64url');
  const mac = crypto.createHmac('sha256', ticketKey(db)).update(payload).digest('base64url');
  return `${payload}.${mac}`;
}

/** The ticket's contents, or null when it is forged, damaged or expired. */
export function readExportTicket(db: Db, ticket: string, now = Date.now()): (ExportTicket & { actor: Actor }) | null {
  const [payload, mac, extra] = ticket.split('.');
  if (!payload || !mac || extra !== undefined || ticket.length > 8192) return null;
  const expected = crypto.createHmac('sha256', ticketKey(db)).update(payload).digest();
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  let parsed;
  try {
    parsed = ticketSchema.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    return null;
  }
  if (!parsed.success || parsed.data.exp <= now) return null;
  return parsed.data;
}
