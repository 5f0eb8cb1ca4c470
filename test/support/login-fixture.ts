import { count, desc } from 'drizzle-orm';
import { afterAll, beforeAll } from 'vitest';
import { startEntraEmulator, type EntraEmulator, type EntraEmulatorOptions } from '@/dev-entra';
import { openDb, type Db } from '@/db/client';
import { loginEvents } from '@/db/schema';
import { updateSettings } from '@/server/settings/service';
import { startServer, type RunningServer } from './processes';
import { tempDbFile, databaseUrlOf } from './tmp';

export interface LoginFixture {
  entra: EntraEmulator;
  server: RunningServer;
  db: Db;
  /** POST /api/login with `Authorization: Bearer <token>` (or any init). */
  login(token: string | RequestInit): Promise<Response>;
  lastLoginEvent(): typeof loginEvents.$inferSelect | undefined;
  loginEventCount(): number;
  setSettings(patch: Record<string, unknown>): Promise<void>;
  /** Stops the server and starts a new process on the same database. */
  restart(): Promise<void>;
}

/**
 * A real emulator (HTTP, loopback) and a real server (`npm start`'s script) on a fresh
 * SQLite file, with SSO configured for the emulator's tenant. The test reads the same
 * database file for history rows.
 */
export function useLoginFixture(
  opts: { settings?: Record<string, unknown>; entra?: EntraEmulatorOptions; configure?: boolean; beforeServer?: (entra: EntraEmulator) => void } = {},
): LoginFixture {
  const file = tempDbFile();
  const fixture = {} as LoginFixture;
  beforeAll(async () => {
    const entra = await startEntraEmulator(opts.entra);
    const db = openDb(file);
    if (opts.configure !== false) {
      updateSettings(
        db,
        { cloud: 'custom', authorityHost: entra.authorityHost, tenantId: entra.tenantId, clientId: entra.clientId, enabled: true, ...opts.settings },
        { kind: 'cli', name: 'test' },
      );
    }
    opts.beforeServer?.(entra);
    const server = await startServer({ databaseUrl: databaseUrlOf(file), env: { LOG_LEVEL: 'warn' } });
    Object.assign(fixture, {
      entra,
      server,
      db,
      login: (token: string | RequestInit) =>
        fetch(
          `${fixture.server.origin}/api/login`,
          typeof token === 'string' ? { method: 'POST', headers: { authorization: `Bearer ${token}` } } : { method: 'POST', ...token },
        ),
      lastLoginEvent: () => db.select().from(loginEvents).orderBy(desc(loginEvents.id)).limit(1).get(),
      loginEventCount: () => db.select({ n: count() }).from(loginEvents).get()!.n,
      restart: async () => {
        await fixture.server.stop();
        fixture.server = await startServer({ databaseUrl: databaseUrlOf(file), env: { LOG_LEVEL: 'warn' } });
      },
      setSettings: async (patch: Record<string, unknown>) => {
        updateSettings(db, patch, { kind: 'cli', name: 'test' });
        // the server re-reads settings at most every 500 ms
        await new Promise((r) => setTimeout(r, 600));
      },
    });
  });
  afterAll(async () => {
    await fixture.server?.stop();
    await fixture.entra?.stop();
    fixture.db?.$client.close();
  });
  return fixture;
}
