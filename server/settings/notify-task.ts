import 'server-only';
import pg from 'pg';
import { isPostgres } from '@/db/client';
import type { BridgeClient } from '@/db/pg-bridge';
import type { BackgroundTask } from '@/server/background';
import { log } from '@/server/lib/log';
import { refreshSettings, SETTINGS_CHANNEL } from './service';

/** How long the listener waits before connecting again after it lost its connection. */
const RECONNECT_MS = 2_000;

/**
 * On PostgreSQL, every instance LISTENs on `SETTINGS_CHANNEL`; a saved version
 * (`saveVersion`, which NOTIFYs in its transaction, so the message leaves at commit) is read at
 * once instead of at the next 0.5 s re-check. The re-check stays the fallback: while the
 * listener is disconnected (it reconnects every 2 s) a change still arrives within a second.
 * Per process. SQLite has no such channel: there the re-check is the only way.
 */
export const settingsNotifyTask: BackgroundTask = {
  name: 'settings-notify',
  start(db) {
    if (!isPostgres(db)) return;
    const url = (db.$client as unknown as BridgeClient).connectionUrl;
    let client: pg.Client | null = null;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const connect = async () => {
      const c = new pg.Client({ connectionString: url, application_name: 'ice-sso-settings-listener', connectionTimeoutMillis: 5_000 });
      client = c;
      const retry = () => {
        if (stopped || client !== c) return;
        client = null;
        c.removeAllListeners();
        c.on('error', () => {});
        void c.end().catch(() => undefined);
        timer = setTimeout(() => void connect(), RECONNECT_MS);
        timer.unref();
      };
      c.on('error', retry);
      c.on('end', retry);
      c.on('notification', (n) => {
        if (n.channel !== SETTINGS_CHANNEL) return;
        try {
          refreshSettings(db);
        } catch (err) {
          // the re-check reads it a moment later
          log.warn('could not read announced settings', { error: (err as Error).message });
        }
      });
      try {
        await c.connect();
        await c.query(`LISTEN ${SETTINGS_CHANNEL}`);
        // the connection is the listener's only: it must not keep the process alive
        streamOf(c)?.unref?.();
        // a change saved while this listener was away is read now
        refreshSettings(db);
      } catch {
        retry();
      }
    };
    void connect();
    return async () => {
      stopped = true;
      clearTimeout(timer);
      const c = client;
      client = null;
      if (!c) return;
      // its socket was unref'd: held again while it closes, or the process could run out of work
      // and end in the middle of the shutdown that awaits this (exit 0, the last steps never run)
      streamOf(c)?.ref?.();
      let bounded: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([c.end().catch(() => undefined), new Promise<void>((resolve) => (bounded = setTimeout(resolve, STOP_TIMEOUT_MS)))]);
      clearTimeout(bounded);
    };
  },
};

/** How long the stop waits for the listener's connection to close (a PostgreSQL that does not answer must not hold the shutdown). */
const STOP_TIMEOUT_MS = 1_000;

function streamOf(c: pg.Client): { ref?: () => void; unref?: () => void } | undefined {
  return (c as unknown as { connection?: { stream?: { ref?: () => void; unref?: () => void } } }).connection?.stream;
}
