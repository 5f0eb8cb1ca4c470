import 'server-only';
import { addressKey } from '@/server/lib/address-key';

/**
 * Refused login attempts per client address, in fixed one-minute windows, per process.
 * Accepted logins never count, so a busy gateway of valid users is never limited. IPv6
 * addresses count per /64 (one host usually holds a whole /64, and could otherwise take a new
 * address for every attempt). The table is bounded: past {@link MAX_TRACKED} addresses the
 * least recently refused one is forgotten, one at a time, never the whole table at once.
 */
interface Window {
  start: number;
  count: number;
}

const WINDOW_MS = 60_000;
/** About 100 bytes an entry: 100,000 addresses are about 10 MB. */
export const MAX_TRACKED = 100_000;
const KEY = Symbol.for('ice-sso.login-rate-limit');
type G = typeof globalThis & { [KEY]?: Map<string, Window> };

function windows(): Map<string, Window> {
  const g = globalThis as G;
  return (g[KEY] ??= new Map());
}

/** The key an address is limited under (server/lib/address-key.ts: IPv4 as it is, IPv6 by its /64). */
export const limitKeyOf = addressKey;

/** Seconds until the address may try again, or 0 when it is under the limit. */
export function retryAfterSeconds(ip: string | null, limitPerMinute: number, now = Date.now()): number {
  if (!ip || limitPerMinute <= 0) return 0;
  const w = windows().get(limitKeyOf(ip));
  if (!w || now - w.start >= WINDOW_MS || w.count < limitPerMinute) return 0;
  return Math.max(1, Math.ceil((w.start + WINDOW_MS - now) / 1000));
}

export function countRefusal(ip: string | null, now = Date.now()): void {
  if (!ip) return;
  const map = windows();
  const key = limitKeyOf(ip);
  const w = map.get(key);
  // re-inserting moves the key to the end: the Map's order is least recently refused first
  map.delete(key);
  map.set(key, !w || now - w.start >= WINDOW_MS ? { start: now, count: 1 } : { start: w.start, count: w.count + 1 });
  while (map.size > MAX_TRACKED) map.delete(map.keys().next().value!);
}

/** Addresses currently tracked (for tests and metrics). */
export function trackedAddresses(): number {
  return windows().size;
}
