import 'server-only';
import { eq, lte, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { loginRefusalWindows } from '@/db/schema';
import { prepared } from '@/db/statements';
import { addressKey } from '@/server/lib/address-key';

/**
 * Refused login attempts per client address, in fixed one-minute windows, one budget for every
 * instance on the database (table login_refusal_windows). Accepted logins never count, so a
 * busy gateway of valid users is never limited, and they never write: the check is one read of
 * the address's row by its primary key, skipped while this process already knows the address is
 * over the limit (counts only grow inside a window, so "over" stays true until it ends). IPv6
 * addresses count per /64 (one host usually holds a whole /64, and could otherwise take a new
 * address for every attempt).
 *
 * Each process also remembers the last window it saw per address, bounded: past
 * {@link MAX_TRACKED} addresses the least recently refused one is forgotten, one at a time,
 * never the whole table at once. That memory answers alone while the database cannot.
 */
interface Window {
  start: number;
  count: number;
}

export const WINDOW_MS = 60_000;
/** About 100 bytes an entry: 10,000 addresses are about 1 MB (the database holds the rest). */
export const MAX_TRACKED = 10_000;
const KEY = Symbol.for('ice-sso.login-rate-limit');
type G = typeof globalThis & { [KEY]?: Map<string, Window> };

function windows(): Map<string, Window> {
  const g = globalThis as G;
  return (g[KEY] ??= new Map());
}

const t = loginRefusalWindows;
const statements = (db: Db) =>
  prepared(db, 'login-refusals', () => {
    // a window that ended restarts at this refusal; plain SQL CASE, the same on SQLite and PostgreSQL
    const ended = sql`${t.windowStart} <= ${sql.placeholder('endedBefore')}`;
    return {
      read: db
        .select({ start: t.windowStart, count: t.count })
        .from(t)
        .where(eq(t.key, sql.placeholder('key')))
        .prepare(),
      count: db
        .insert(t)
        .values({ key: sql.placeholder('key'), windowStart: sql.placeholder('now'), count: 1 })
        .onConflictDoUpdate({
          target: t.key,
          set: {
            windowStart: sql`CASE WHEN ${ended} THEN ${sql.placeholder('now')} ELSE ${t.windowStart} END`,
            count: sql`CASE WHEN ${ended} THEN 1 ELSE ${t.count} + 1 END`,
          },
        })
        .returning({ start: t.windowStart, count: t.count })
        .prepare(),
    };
  });

/** The key an address is limited under (server/lib/address-key.ts: IPv4 as it is, IPv6 by its /64). */
export const limitKeyOf = addressKey;

function waitOf(w: Window | undefined, limitPerMinute: number, now: number): number {
  if (!w || now - w.start >= WINDOW_MS || w.count < limitPerMinute) return 0;
  return Math.max(1, Math.ceil((w.start + WINDOW_MS - now) / 1000));
}

function remember(key: string, w: Window): void {
  const map = windows();
  // re-inserting moves the key to the end: the Map's order is least recently refused first
  map.delete(key);
  map.set(key, w);
  while (map.size > MAX_TRACKED) map.delete(map.keys().next().value!);
}

/** Seconds until the address may try again, or 0 when it is under the limit (of every instance together). */
export function retryAfterSeconds(db: Db, ip: string | null, limitPerMinute: number, now = Date.now()): number {
  if (!ip || limitPerMinute <= 0) return 0;
  const key = limitKeyOf(ip);
  const known = windows().get(key);
  const wait = waitOf(known, limitPerMinute, now);
  if (wait > 0) return wait;
  let row: Window | undefined;
  try {
    row = statements(db).read.get({ key });
  } catch {
    // the database cannot answer: this process's own count still limits
    return wait;
  }
  const dbWait = waitOf(row, limitPerMinute, now);
  // remembered only when over: the next checks of this address skip the read until the window ends
  if (dbWait > 0) remember(key, row!);
  return dbWait;
}

/** Counts one refused login against the address: one upsert, atomic across instances. */
export function countRefusal(db: Db, ip: string | null, now = Date.now()): void {
  if (!ip) return;
  const key = limitKeyOf(ip);
  let w: Window | undefined;
  try {
    w = statements(db).count.get({ key, now, endedBefore: now - WINDOW_MS });
  } catch {
    // the database cannot count it: this process does, until it can again
    const known = windows().get(key);
    w = !known || now - known.start >= WINDOW_MS ? { start: now, count: 1 } : { start: known.start, count: known.count + 1 };
  }
  if (w) remember(key, w);
}

/** Deletes the windows that ended (session housekeeping); returns how many. */
export function purgeRefusalWindows(db: Db, now = Date.now()): number {
  return db
    .delete(t)
    .where(lte(t.windowStart, now - WINDOW_MS))
    .run().changes;
}

/** Addresses this process remembers (for tests and metrics). */
export function trackedAddresses(): number {
  return windows().size;
}
