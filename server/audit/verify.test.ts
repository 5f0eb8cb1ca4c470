import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { writeTransaction } from '@/db/transaction';
import { chainFieldNames, hashFieldsOf } from './chain-rows';
import { recordChange } from './changes';
import { recordLoginEvent } from './logins';
import { addLoginEvents, addPeople, BASE, freshDb, rng } from './test-fixtures';
import { verifyAuditChain, verifyAuditChains } from './verify';
import { rawConnection } from '@/test/support/test-database';

/** A database with 300 login events and 20 change events, and a raw connection to it (as an intruder would use). */
function history() {
  const { db, file } = freshDb();
  addLoginEvents(db, addPeople(db, rng(5)), 300);
  writeTransaction(db, () => {
    for (let i = 0; i < 20; i++)
      recordChange(db, { kind: 'local', name: 'admin' }, { action: 'settings.update', targetType: 'settings', after: { n: i } }, BASE + i);
  });
  const raw = rawConnection(file);
  return { db, raw };
}

describe('audit verify', () => {
  it('selects the hashed fields in the order recordLoginEvent and recordChange hash them', () => {
    for (const stream of ['login', 'change'] as const) {
      const names = chainFieldNames(stream);
      const probe = Object.fromEntries(names.map((n, i) => [n, i]));
      expect(hashFieldsOf(stream, probe)).toEqual(names.map((_, i) => i));
    }
  });

  it('counts every event of an intact chain', async () => {
    const { db } = history();
    expect(await verifyAuditChains(db)).toEqual([
      { stream: 'login', verified: 300 },
      { stream: 'change', verified: 20 },
    ]);
  });

  it('finds a login event changed directly in SQLite, at that event', async () => {
    const { db, raw } = history();
    const changed = raw.prepare("UPDATE login_events SET outcome = CASE outcome WHEN 'accepted' THEN 'refused' ELSE 'accepted' END WHERE id = 137").run();
    expect(changed.changes).toBe(1);
    const r = await verifyAuditChain(db, 'login');
    expect(r.firstBroken).toMatchObject({ id: 137, reason: 'hash_mismatch' });
    expect(r.verified).toBe(136);
  });

  it('finds an edit of one character in a field no one looks at', async () => {
    const { db, raw } = history();
    raw.prepare("UPDATE login_events SET user_agent = user_agent || ' ' WHERE id = 300").run();
    expect((await verifyAuditChain(db, 'login')).firstBroken).toMatchObject({ id: 300, reason: 'hash_mismatch' });
  });

  it('finds a change event whose before/after was rewritten', async () => {
    const { db, raw } = history();
    raw.prepare(`UPDATE change_events SET after = '{"n":99}' WHERE id = 5`).run();
    const [login, change] = await verifyAuditChains(db);
    expect(login!.firstBroken).toBeUndefined();
    expect(change!.firstBroken).toMatchObject({ id: 5, reason: 'hash_mismatch' });
  });

  it('finds a deleted event in the middle, at the event after it', async () => {
    const { db, raw } = history();
    raw.prepare('DELETE FROM login_events WHERE id = 42').run();
    const r = await verifyAuditChain(db, 'login');
    expect(r.firstBroken).toMatchObject({ id: 43, reason: 'link_mismatch' });
    expect(r.firstBroken!.message).toContain('Events 42–42 are missing');
    expect(r.verified).toBe(41);
  });

  it('finds a row re-hashed without the key (a recomputed SHA-256 is not the keyed HMAC)', async () => {
    const { db, raw } = history();
    raw.prepare("UPDATE login_events SET ip = '198.51.100.1', hash = ? WHERE id = 10").run(crypto.randomBytes(32).toString('hex'));
    expect((await verifyAuditChain(db, 'login')).firstBroken).toMatchObject({ id: 10, reason: 'hash_mismatch' });
  });

  it('finds removed first events and removed newest events', async () => {
    const first = history();
    first.raw.prepare('DELETE FROM login_events WHERE id <= 3').run();
    expect((await verifyAuditChain(first.db, 'login')).firstBroken).toMatchObject({ id: 4, reason: 'link_mismatch' });
    const last = history();
    last.raw.prepare('DELETE FROM login_events WHERE id >= 299').run();
    expect((await verifyAuditChain(last.db, 'login')).firstBroken).toMatchObject({ id: 300, reason: 'tail_missing' });
  });

  it('keeps verifying events appended after the check began, and new events chain on', async () => {
    const { db } = history();
    recordLoginEvent(db, { outcome: 'refused', reason: 'token_expired', status: 401 }, BASE + 10 ** 7);
    expect((await verifyAuditChain(db, 'login')).verified).toBe(301);
  });
});
