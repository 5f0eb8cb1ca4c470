import 'server-only';
import crypto from 'node:crypto';
import { z } from 'zod';
import type { Db } from '@/db/client';
import type { Actor } from '@/server/audit/changes';
import { exportFormats } from './export';
import { auditKey } from '@/server/audit/key';

/** How long an export link works: long enough to click, too short to be worth stealing. */
export const EXPORT_TICKET_TTL_MS = 60_000;

const ticketSchema = z.object({
  stream: z.enum(['logins', 'changes']),
  format: z.enum(exportFormats),
  filter: z.record(z.string(), z.unknown()),
  actor: z.object({ kind: z.enum(['cli', 'local', 'entra', 'system']), name: z.string(), id: z.string().optional() }),
  exp: z.number(),
  /** Random ID: the link works once. */
  jti: z.string().min(16).max(64),
});
export type ExportTicket = z.infer<typeof ticketSchema>;

/** Used-ticket IDs kept at most; each is kept only until its ticket expires (60 s), so this is never reached in practice. */
export const MAX_USED_TICKETS = 10_000;

// per process, on globalThis (Next's bundle and the custom server share it): used ticket ID -> expiry
const USED = Symbol.for('ice-sso.used-export-tickets');
type G = typeof globalThis & { [USED]?: Map<string, number> };
const usedTickets = (): Map<string, number> => ((globalThis as G)[USED] ??= new Map());

/** A key for tickets only, derived from the audit key so that a ticket signature is never a chain hash. */
function ticketKey(db: Db): Buffer {
  return crypto.createHmac('sha256', auditKey(db)).update('ice-sso export ticket v1').digest();
}

/**
 * A signed, short-lived ticket for one export, so that the browser can stream a large export
 * straight to disk through a plain link (a link cannot carry the MSAL bearer token). The
 * ticket carries the already-validated filter and who asked, and works once ({@link redeemExportTicket}).
 */
export function issueExportTicket(db: Db, ticket: Omit<ExportTicket, 'exp' | 'jti'>, now = Date.now()): string {
  const payload = Buffer.from(JSON.stringify({ ...ticket, exp: now + EXPORT_TICKET_TTL_MS, jti: crypto.randomBytes(16).toString('base64url') })).toString('base64url');
  const mac = crypto.createHmac('sha256', ticketKey(db)).update(payload).digest('base64url');
  return `${payload}.${mac}`;
}

/** Why a ticket is not honoured. */
export type TicketProblem = 'invalid' | 'used';

/**
 * Checks a ticket and marks it used: the first call with a good ticket returns its contents,
 * every later one `{ problem: 'used' }`. Forged, damaged or expired: `{ problem: 'invalid' }`.
 * Used IDs are remembered in memory until their ticket expires (bounded, see MAX_USED_TICKETS:
 * when full, a ticket is refused rather than forgotten), so nothing outlives its minute.
 */
export function redeemExportTicket(db: Db, ticket: string, now = Date.now()): { ticket: ExportTicket & { actor: Actor } } | { problem: TicketProblem } {
  const read = readExportTicket(db, ticket, now);
  if (!read) return { problem: 'invalid' };
  const used = usedTickets();
  if (used.has(read.jti)) return { problem: 'used' };
  if (used.size >= MAX_USED_TICKETS) for (const [id, exp] of used) if (exp <= now) used.delete(id);
  if (used.size >= MAX_USED_TICKETS) return { problem: 'used' };
  used.set(read.jti, read.exp);
  return { ticket: read };
}

/** The ticket's contents, or null when it is forged, damaged or expired (does not mark it used). */
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
