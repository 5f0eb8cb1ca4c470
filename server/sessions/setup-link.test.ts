import { describe, expect, it } from 'vitest';
import { openDb } from '@/db/client';
import { tempDbFile } from '@/test/support/tmp';
import { getEnv } from '@/config/env';
import { announceSetupLinkIfNeeded, publicOrigin } from './setup-link';
import { completeSetup, hasLocalAdmin } from './local-admin';

describe('the setup link printed at server start', () => {
  const db = openDb(tempDbFile());

  it('is printed while no local admin exists: five lines, the link on this server’s origin with a fresh token in its fragment', () => {
    const lines: string[] = [];
    announceSetupLinkIfNeeded(db, (l) => lines.push(l));
    expect(hasLocalAdmin(db)).toBe(false);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe('─'.repeat(72));
    expect(lines[4]).toBe(lines[0]);
    expect(lines[1]).toBe('No local admin exists yet. Create the break-glass admin with this one-time link (valid 1 hour):');
    expect(lines[2]).toMatch(new RegExp(`^  ${publicOrigin().replace(/[.:/]/g, '\\$&')}/setup#token=[\\w-]{43}$`));
    expect(lines[3]).toBe('Lost it? Run `npx ice-sso admin reset` for a new one.');
  });

  it('uses PUBLIC_URL as the origin when set, else http://localhost and the port', () => {
    const env = getEnv();
    expect(publicOrigin()).toBe(env.PUBLIC_URL ?? `http://localhost:${env.PORT}`);
    expect(publicOrigin()).toMatch(/^https?:\/\/[^/]+$/);
  });

  it('is not printed once the admin exists, and the printed link works', async () => {
    const lines: string[] = [];
    announceSetupLinkIfNeeded(db, (l) => lines.push(l));
    const token = /#token=([\w-]+)$/.exec(lines[2]!)![1]!;
    await completeSetup(db, { token, username: 'breakglass', password: 'A-long-enough-passphrase-1' });
    const after: string[] = [];
    announceSetupLinkIfNeeded(db, (l) => after.push(l));
    expect(after).toEqual([]);
  });
});
