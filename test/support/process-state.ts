/**
 * Forgets what a server process keeps in memory between requests: the Entra key cache (and
 * its unknown-kid cooldowns), the refused-login counters and an open database outage (with its
 * recovery probe). A test that calls this starts as
 * a freshly started process would, whatever ran before it in the same worker (Stryker's runs
 * reuse one), while its database stays as it was.
 */
export function freshProcessState(): void {
  const g = globalThis as Record<symbol, unknown>;
  delete g[Symbol.for('ice-sso.entra.metadata')];
  delete g[Symbol.for('ice-sso.login-rate-limit')];
  const outage = g[Symbol.for('ice-sso.database-outage')] as { timer: ReturnType<typeof setInterval> | null } | undefined;
  if (outage?.timer) clearInterval(outage.timer);
  delete g[Symbol.for('ice-sso.database-outage')];
}
