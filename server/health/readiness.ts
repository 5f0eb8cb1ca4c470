import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { projectRoot, type Db } from '@/db/client';
import { getSigningMaterial, keyHealth } from '@/server/entra/metadata';
import { databaseOutage } from '@/server/lib/database-outage';
import { databaseProbe, type DatabaseProbe } from '@/server/lib/database-probe';
import { getSettings } from '@/server/settings/service';

/** How long the database check waits for the write lock before it says the database is busy. */
export const DATABASE_PROBE_BUDGET_MS = 1500;
/** How long the signing-keys check waits for a first load (the load itself goes on in the background). */
export const KEYS_CHECK_BUDGET_MS = 2000;

export type CheckName = 'database' | 'migrations' | 'signing_keys';

/**
 * One check's verdict: `ok`, and when not, a stable `reason` (docs/operations.md, "Health
 * checks"). Never a path, a message of the driver, or anything secret.
 */
export interface CheckResult {
  ok: boolean;
  reason?: 'database_unavailable' | 'database_busy' | 'migrations_pending' | 'migrations_unknown' | 'keys_unavailable';
  /** The driver's code of a database fault (`SQLITE_BUSY`, `SQLITE_IOERR_WRITE`, ...). */
  code?: string;
  /** Migrations of this version not applied to the database. */
  pending?: number;
  /** signing_keys: `sso_not_configured` (the check does not apply), or where the keys came from (`network`, `database`). */
  state?: 'sso_not_configured' | 'network' | 'database';
}

export interface Readiness {
  status: 'ready' | 'unready';
  checks: Record<CheckName, CheckResult>;
}

const INFLIGHT = Symbol.for('ice-sso.health.readiness');
type G = typeof globalThis & { [INFLIGHT]?: Promise<Readiness> | null };

/**
 * Whether this process should get traffic (GET /readyz): the database answers a writer within
 * {@link DATABASE_PROBE_BUDGET_MS} and is not in an outage, every migration this version ships
 * is applied, and, when SSO is configured, the tenant's signing keys are loaded. Concurrent
 * callers share one run. Never throws; never waits more than about two seconds.
 */
export function readiness(db: Db, probe: DatabaseProbe = databaseProbe(db)): Promise<Readiness> {
  const g = globalThis as G;
  return (g[INFLIGHT] ??= run(db, probe).finally(() => (g[INFLIGHT] = null)));
}

async function run(db: Db, probe: DatabaseProbe): Promise<Readiness> {
  const [database, signingKeys] = await Promise.all([checkDatabase(probe), checkSigningKeys(db)]);
  const migrations = database.ok ? checkMigrations(probe) : { ok: false, reason: 'database_unavailable' as const };
  const checks = { database, migrations, signing_keys: signingKeys };
  return { status: database.ok && migrations.ok && signingKeys.ok ? 'ready' : 'unready', checks };
}

async function checkDatabase(probe: DatabaseProbe): Promise<CheckResult> {
  const outage = databaseOutage();
  if (outage) return { ok: false, reason: 'database_unavailable', code: outage.code };
  const r = await probe.writable(DATABASE_PROBE_BUDGET_MS);
  if (r.ok) return { ok: true };
  return { ok: false, reason: /^SQLITE_(BUSY|LOCKED)/.test(r.code) ? 'database_busy' : 'database_unavailable', code: r.code };
}

function checkMigrations(probe: DatabaseProbe): CheckResult {
  const shipped = shippedMigrations(probe.migrationsFolder);
  if (!shipped) return { ok: false, reason: 'migrations_unknown' };
  let newest: number | null;
  try {
    newest = probe.newestAppliedMigration();
  } catch {
    return { ok: false, reason: 'database_unavailable' };
  }
  // drizzle's own rule: a migration is applied when the newest applied one is not older than it
  const pending = shipped.filter((when) => newest === null || when > newest).length;
  return pending === 0 ? { ok: true } : { ok: false, reason: 'migrations_pending', pending };
}

async function checkSigningKeys(db: Db): Promise<CheckResult> {
  let settings;
  try {
    settings = getSettings(db).effective;
  } catch {
    return { ok: false, reason: 'database_unavailable' };
  }
  // not configured: the console still has to be reachable to configure it (docs/operations.md)
  if (!settings.enabled || !settings.complete) return { ok: true, state: 'sso_not_configured' };
  const g = globalThis as GK;
  // while Microsoft is unreachable and nothing is saved, a load balancer polling every few
  // seconds must not multiply the fetches: one attempt per KEYS_RETRY_MS
  if (keyHealth(settings).source === null && Date.now() - (g[KEYS_FAILED_AT] ?? 0) < KEYS_RETRY_MS) return { ok: false, reason: 'keys_unavailable' };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), KEYS_CHECK_BUDGET_MS)));
  try {
    // what a login does: memory first, then the network, then the database's last good copy
    const loading = getSigningMaterial(db, settings).catch((err: unknown) => {
      g[KEYS_FAILED_AT] = Date.now();
      throw err;
    });
    // a failure after the budget is recorded above, never left unhandled
    loading.catch(() => undefined);
    const material = await Promise.race([loading, late]);
    if (!material) return { ok: false, reason: 'keys_unavailable' };
    return { ok: true, state: keyHealth(settings).source === 'database' ? 'database' : 'network' };
  } catch {
    return { ok: false, reason: 'keys_unavailable' };
  } finally {
    clearTimeout(timer);
  }
}

/** After a failed first load of the keys, how long readiness answers `keys_unavailable` before it tries again. */
export const KEYS_RETRY_MS = 10_000;
const KEYS_FAILED_AT = Symbol.for('ice-sso.health.keys-failed-at');
type GK = typeof globalThis & { [KEYS_FAILED_AT]?: number };

const journalSchema = z.object({ entries: z.array(z.object({ when: z.number().int() })).min(1) });
const JOURNAL = Symbol.for('ice-sso.health.journal');
type GJ = typeof globalThis & { [JOURNAL]?: Record<string, number[] | null> };

/** The `when` of every migration in db/<folder> (read once), or null when the journal cannot be read. */
function shippedMigrations(folder: string): number[] | null {
  const g = globalThis as GJ;
  const known = (g[JOURNAL] ??= {});
  if (known[folder] !== undefined) return known[folder];
  try {
    const raw = fs.readFileSync(path.join(projectRoot(), 'db', folder, 'meta', '_journal.json'), 'utf8');
    known[folder] = journalSchema.parse(JSON.parse(raw)).entries.map((e) => e.when);
  } catch {
    known[folder] = null;
  }
  return known[folder];
}
