import 'server-only';
import crypto from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { dbState } from '@/db/client';
import type { Actor } from '@/server/audit/changes';
import { exportFormats } from './export';
import { auditKey } from '@/server/audit/key';

/** How long an export link works: long enough to click, too short to be worth stealing. */
export const EXPORT_TICKET_TTL_MS = 60_000;

const ISSUER = 'ice-sso';
const AUDIENCE = 'ice-sso:audit-export';

const ticketSchema = z.object({
  stream: z.enum(['logins', 'changes']),
  format: z.enum(exportFormats),
  filter: z.record(z.string(), z.unknown()),
  /** SHA-256 of the filter as issued: the audit row of the export can name it without the filter's text. */
  fh: z.string().length(43),
  actor: z.object({ kind: z.enum(['cli', 'local', 'entra', 'system']), name: z.string(), id: z.string().optional() }),
  /** Expiry in ms (the JWT's own `exp` is in seconds). */
  exp: z.number(),
  /** Random ID: the link works once. */
  jti: z.string().min(16).max(64),
});
export type ExportTicket = Omit<z.infer<typeof ticketSchema>, 'fh'>;

/** Used-ticket IDs kept at most; each is kept only until its ticket expires (60 s), so this is never reached in practice. */
export const MAX_USED_TICKETS = 10_000;

// per process, on globalThis (Next's bundle and the custom server share it): used ticket ID -> expiry
const USED = Symbol.for('ice-sso.used-export-tickets');
type G = typeof globalThis & { [USED]?: Map<string, number> };
const usedTickets = (): Map<string, number> => ((globalThis as G)[USED] ??= new Map());

/**
 * The HS256 key for tickets, derived from the audit key with HKDF: every instance that shares
 * the audit key file accepts the others' tickets, and a ticket signature is never a chain hash.
 */
function ticketKey(db: Db): Uint8Array {
  return dbState(db, 'export-ticket-key', () => new Uint8Array(crypto.hkdfSync('sha256', auditKey(db), Buffer.alloc(0), 'ice-sso export ticket v2', 32)));
}

export function filterHash(filter: Record<string, unknown>): string {
  return crypto.createHash('sha256').update(JSON.stringify(filter)).digest('base64url');
}

/**
 * A signed, short-lived ticket for one export (a jose HS256 JWT), so that the browser can stream
 * a large export straight to disk through a plain link (a link cannot carry the MSAL bearer
 * token). The ticket carries the already-validated filter, its hash and who asked, and works
 * once ({@link redeemExportTicket}).
 */
export async function issueExportTicket(db: Db, ticket: Omit<ExportTicket, 'exp' | 'jti'>, now = Date.now()): Promise<string> {
  const exp = now + EXPORT_TICKET_TTL_MS;
  return new SignJWT({ stream: ticket.stream, format: ticket.format, filter: ticket.filter, fh: filterHash(ticket.filter), actor: ticket.actor, expMs: exp })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(ticket.actor.name)
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(Math.ceil(exp / 1000))
    .setJti(crypto.randomBytes(16).toString('base64url'))
    .sign(ticketKey(db));
}

/** Why a ticket is not honoured. */
export type TicketProblem = 'invalid' | 'used';

/**
 * Checks a ticket and marks it used: the first call with a good ticket returns its contents,
 * every later one `{ problem: 'used' }`. Forged, damaged or expired: `{ problem: 'invalid' }`.
 * Used IDs are remembered in memory until their ticket expires (bounded, see MAX_USED_TICKETS:
 * when full, a ticket is refused rather than forgotten), so nothing outlives its minute. In
 * memory, not the database: a ticket lives 60 s and is redeemed by the instance behind the
 * same console session; several instances behind one balancer would need a shared table.
 */
export async function redeemExportTicket(
  db: Db,
  ticket: string,
  now = Date.now(),
): Promise<{ ticket: ExportTicket & { actor: Actor } } | { problem: TicketProblem }> {
  const read = await readExportTicket(db, ticket, now);
  if (!read) return { problem: 'invalid' };
  const used = usedTickets();
  if (used.has(read.jti)) return { problem: 'used' };
  if (used.size >= MAX_USED_TICKETS) for (const [id, exp] of used) if (exp <= now) used.delete(id);
  if (used.size >= MAX_USED_TICKETS) return { problem: 'used' };
  used.set(read.jti, read.exp);
  return { ticket: read };
}

/** The ticket's contents, or null when it is forged, damaged or expired (does not mark it used). */
export async function readExportTicket(db: Db, ticket: string, now = Date.now()): Promise<(ExportTicket & { actor: Actor }) | null> {
  if (ticket.length > 8192) return null;
  try {
    const { payload } = await jwtVerify(ticket, ticketKey(db), {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      currentDate: new Date(now),
      clockTolerance: 0,
    });
    const parsed = ticketSchema.safeParse({ ...payload, exp: payload.expMs });
    if (!parsed.success || parsed.data.exp <= now || parsed.data.fh !== filterHash(parsed.data.filter)) return null;
    const { fh: _fh, ...read } = parsed.data;
    return read;
  } catch {
    return null;
  }
}
