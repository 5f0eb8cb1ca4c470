import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDb } from '@/db/client';
import { groups, users } from '@/db/schema';
import { writeTransaction } from '@/db/transaction';
import { seedUser } from '@/server/directory/test-seed';
import { setUserStatus } from '@/server/directory/user-status';
import { updateSettings } from '@/server/settings/service';
import { tempDbFile } from '@/test/support/tmp';
import { getChangeEvent, listChangeEvents } from './change-log';
import { recordChange, type Actor } from '@/server/audit/changes';
import { CONSOLE_SIGN_IN_COALESCE_MS, recordConsoleSignIn, recordConsoleSignOut } from '@/server/audit/console-access';
import { exportChangeEvents } from './export';

const admin: Actor = { kind: 'entra', name: 'ada.admin@contoso.com', id: 't:o', ip: '10.1.2.3' };
const DISPATCH = 'f3b1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d';

async function text(gen: AsyncGenerator<string>): Promise<string> {
  let out = '';
  for await (const chunk of gen) out += chunk;
  return out;
}

describe('the change log in words', () => {
  it('names a disabled user by the name, UPN and object ID they had when disabled, after a rename too, in list, detail and export', async () => {
    const db = openDb(tempDbFile());
    const user = seedUser(db, { displayName: 'Megan Bowen', username: 'megan@contoso.example' });
    setUserStatus(db, user.id, 'disabled', admin, 'left');
    db.update(users).set({ displayName: 'Megan Renamed' }).where(eq(users.id, user.id)).run();

    const [item] = listChangeEvents(db, { action: 'user.disable' }).items;
    expect(item!.targetName).toBe(`Megan Bowen · megan@contoso.example · object ID ${user.objectId}`);
    expect(item!.target).toEqual({ displayName: 'Megan Bowen', upn: 'megan@contoso.example', objectId: user.objectId, tenantId: user.tenantId });
    expect(item!.diff).toEqual(
      [
        { path: 'status', label: 'Status', before: 'active', after: 'disabled' },
        { path: 'sessionsRevoked', label: 'Sessions revoked', before: null, after: 0 },
      ].sort((a, b) => a.path.localeCompare(b.path)),
    );
    expect(item!.summary).toBe(`Disabled Megan Bowen · megan@contoso.example · object ID ${user.objectId}; 0 active sessions revoked.`);
    expect(getChangeEvent(db, item!.id).targetName).toBe(item!.targetName);

    const csv = await text(exportChangeEvents(db, { action: 'user.disable' }));
    const [header, row] = csv.trim().split('\r\n');
    expect(header!.split(',').slice(5, 8)).toEqual(['target_type', 'target_id', 'target_name']);
    expect(row).toContain(`,user,${user.id},Megan Bowen · megan@contoso.example · object ID ${user.objectId},`);
  });

  it('names a user from the directory when an older change has no snapshot', () => {
    const db = openDb(tempDbFile());
    const user = seedUser(db, { displayName: 'Old Row', username: 'old@contoso.example' });
    writeTransaction(db, () =>
      recordChange(db, admin, { action: 'user.disable', targetType: 'user', targetId: user.id, before: { status: 'active' }, after: { status: 'disabled' } }),
    );
    expect(listChangeEvents(db).items[0]!.targetName).toBe(`Old Row · old@contoso.example · object ID ${user.objectId}`);
  });

  it('labels settings values with the form words and names the groups behind GUIDs', () => {
    const db = openDb(tempDbFile());
    db.insert(groups).values({ id: DISPATCH, displayName: 'Dispatch', createdAt: 1, updatedAt: 1 }).run();
    writeTransaction(db, () => updateSettings(db, { requiredGroupIds: [DISPATCH], clockSkewSeconds: 120 }, admin));
    const [item] = listChangeEvents(db, { action: 'settings.update' }).items;
    expect(item!.diff.map((d) => d.label)).toEqual(['Clock skew (s)', 'Required groups']);
    expect(item!.names).toEqual({ [DISPATCH]: 'Dispatch' });
    expect(item!.summary).toBe('Saved the settings: Clock skew (s), Required groups changed.');
  });

  it('tells a break-glass sign-in as a sentence, with no "(whole)" diff', () => {
    const db = openDb(tempDbFile());
    writeTransaction(db, () =>
      recordChange(
        db,
        { kind: 'local', name: 'breakglass', id: 'a1' },
        { action: 'breakglass.sign_in', targetType: 'local_admin', targetId: 'a1', after: { via: 'password' } },
      ),
    );
    const [item] = listChangeEvents(db).items;
    expect(item!.diff).toEqual([]);
    expect(item!.summary).toBe('The local administrator signed in with a password.');
  });

  it('tells actions it has no words for by their recorded data', () => {
    const db = openDb(tempDbFile());
    // an action added by a later version (recordChange's type only takes known ones)
    writeTransaction(db, () =>
      recordChange(db, admin, { action: 'future.action' as 'breakglass.sign_in', targetType: 'local_admin', after: { username: 'x', attempts: 3 } }),
    );
    expect(listChangeEvents(db).items[0]!.summary).toBe('future.action (username: x; attempts: 3).');
  });
});

describe('console access in the change log', () => {
  const entraAdmin = { kind: 'entra' as const, name: 'adele@contoso.example', id: 'tid:oid', ip: '10.0.0.9', roles: ['admin'] };

  it('records an Entra sign-in once, coalescing repeats within a minute unless a sign-out came between, and every sign-out', () => {
    const db = openDb(tempDbFile());
    const t = Date.parse('2026-12-01T10:00:00Z');
    expect(recordConsoleSignIn(db, entraAdmin, t)).toBe(true);
    expect(recordConsoleSignIn(db, entraAdmin, t + 5_000)).toBe(false);
    recordConsoleSignOut(db, entraAdmin, t + 10_000);
    // signing in again after a sign-out is a new sign-in, even within the minute
    expect(recordConsoleSignIn(db, entraAdmin, t + 15_000)).toBe(true);
    expect(recordConsoleSignIn(db, entraAdmin, t + 20_000)).toBe(false);
    expect(recordConsoleSignIn(db, entraAdmin, t + 15_000 + CONSOLE_SIGN_IN_COALESCE_MS + 1)).toBe(true);
    const items = listChangeEvents(db).items;
    expect(items.map((i) => i.action)).toEqual(['console.sign_in', 'console.sign_in', 'console.sign_out', 'console.sign_in']);
    expect(items[3]).toMatchObject({
      actor: 'adele@contoso.example',
      actorKind: 'entra',
      ip: '10.0.0.9',
      targetType: 'console',
      summary: 'Signed in to the console with Microsoft Entra ID as admin.',
    });
    expect(items[2]!.summary).toBe('Signed out of the console.');
  });

  it('does not record a local admin sign-in twice (breakglass.sign_in is the record)', () => {
    const db = openDb(tempDbFile());
    expect(recordConsoleSignIn(db, { ...entraAdmin, kind: 'local' })).toBe(false);
    expect(listChangeEvents(db).items).toEqual([]);
  });
});
