import 'server-only';

/**
 * Refused login attempts per client IP, in fixed one-minute windows, per process. Accepted
 * logins never count, so a busy gateway of valid users is never limited.
 */
interface Window {
  start: number;
  count: number;
}

const WINDOW_MS = 60_000;
const MAX_TRACKED = 100_000;
const KEY = Symbol.for('ice-sso.login-rate-limit');
type G = typeof globalThis & { [KEY]?: Map<string, Window> };

function windows(): Map<string, Window> {
  const g = globalThis as G;
  return (g[KEY] ??= new Map());
}

/** Seconds until the IP may try again, or 0 when it is under the limit. */
export function retryAfterSeconds(ip: string | null, limitPerMinute: number, now = Date.now()): number {
  if (!ip || limitPerMinute <= 0) return 0;
  const w = windows().get(ip);
  if (!w || now - w.start >= WINDOW_MS || w.count < limitPerMinute) return 0;
  return Math.max(1, Math.ceil((w.start + WINDOW_MS - now) / 1000));
}

export function countRefusal(ip: string | null, now = Date.now()): void {
  if (!ip) return;
  const map = windows();
  const w = map.get(ip);
  if (!w || now - w.start >= WINDOW_MS) {
    if (map.size >= MAX_TRACKED) prune(map, now);
    map.set(ip, { start: now, count: 1 });
  } else w.count++;
}

function prune(map: Map<string, Window>, now: number): void {
  for (const [ip, w] of map) if (now - w.start >= WINDOW_MS) map.delete(ip);
  if (map.size >= MAX_TRACKED) map.clear();
}
