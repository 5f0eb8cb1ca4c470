import { describe, expect, it } from 'vitest';
import { writeTransaction } from '@/db/transaction';
import { callerFor, TEST_CONSOLE_TENANT } from '@/server/trpc/test-contexts';
import { chainHash, GENESIS_HASH } from './chain';
import { getChangeEvent, listChangeEvents } from '@/server/audit-reports/change-log';
import { recordChange } from './changes';
import { exportChangeEvents } from '@/server/audit-reports/export';
import { auditKey } from './key';
import { freshDb, parseCsv } from './test-fixtures';
import { verifyAuditChain } from './verify';
import { rawConnection } from '@/test/support/test-database';

const ADMIN_OID = '33333333-3333-4333-8333-333333333333';

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const c of chunks) out += c;
  return out;
}

describe('change-log actors', () => {
  it("records an Entra admin's settings change with the tenant and object ID beside the UPN, and lists, gets and exports them", async () => {
    const { db } = freshDb();
    await callerFor(db, 'admin').settings.update({ patch: { clockSkewSeconds: 120 } });
    const [item] = listChangeEvents(db).items;
    expect(item).toMatchObject({
      actor: 'ada.admin@contoso.com',
      actorKind: 'entra',
      actorId: `${TEST_CONSOLE_TENANT}:${ADMIN_OID}`,
      actorTenantId: TEST_CONSOLE_TENANT,
      actorObjectId: ADMIN_OID,
    });
    expect(getChangeEvent(db, item!.id)).toMatchObject({ actorTenantId: TEST_CONSOLE_TENANT, actorObjectId: ADMIN_OID });

    const [header, row] = parseCsv(await text(exportChangeEvents(db)));
    expect(row![header!.indexOf('actor')]).toBe('ada.admin@contoso.com');
    expect(row![header!.indexOf('actor_tenant_id')]).toBe(TEST_CONSOLE_TENANT);
    expect(row![header!.indexOf('actor_object_id')]).toBe(ADMIN_OID);
    const json = JSON.parse((await text(exportChangeEvents(db, {}, { format: 'jsonl' }))).trim()) as Record<string, unknown>;
    expect(json).toMatchObject({ actor: 'ada.admin@contoso.com', actorTenantId: TEST_CONSOLE_TENANT, actorObjectId: ADMIN_OID });
  });

  it('records the local admin by its ID, and cli/system actors without one', async () => {
    const { db } = freshDb();
    await callerFor(db, 'localAdmin').settings.update({ patch: { clockSkewSeconds: 60 } });
    writeTransaction(db, () => recordChange(db, { kind: 'cli', name: 'cli' }, { action: 'user.disable', targetType: 'user', targetId: 'u1' }));
    expect(listChangeEvents(db).items.map((c) => [c.actorKind, c.actorId, c.actorTenantId])).toEqual([
      ['cli', null, null],
      ['local', '44444444-4444-4444-8444-444444444444', null],
    ]);
  });

  it('verifies change rows chained before actor IDs existed beside new ones, and finds an actor ID added or edited later', async () => {
    const setup = () => {
      const { db, file } = freshDb();
      // as the code before actor IDs chained a row: ten fields, no actor_id
      const fields = [1, 'old-admin@contoso.com', 'entra', 'settings.update', 'settings', '1', null, '{"a":1}', null, null];
      db.$client
        .prepare(
          "INSERT INTO change_events (ts, actor, actor_kind, action, target_type, target_id, after, prev_hash, hash) VALUES (1, 'old-admin@contoso.com', 'entra', 'settings.update', 'settings', '1', '{\"a\":1}', ?, ?)",
        )
        .run(GENESIS_HASH, chainHash(auditKey(db), GENESIS_HASH, fields));
      writeTransaction(db, () =>
        recordChange(db, { kind: 'entra', name: 'new@contoso.com', id: 't:o' }, { action: 'user.disable', targetType: 'user', targetId: 'u' }, 2),
      );
      return { db, raw: rawConnection(file) };
    };
    const intact = setup();
    expect(await verifyAuditChain(intact.db, 'change')).toEqual({ stream: 'change', verified: 2 });

    const added = setup();
    added.raw.prepare("UPDATE change_events SET actor_id = 't:o' WHERE id = 1").run();
    expect((await verifyAuditChain(added.db, 'change')).firstBroken).toMatchObject({ id: 1, reason: 'hash_mismatch' });
    const edited = setup();
    edited.raw.prepare("UPDATE change_events SET actor_id = 't:someone-else' WHERE id = 2").run();
    expect((await verifyAuditChain(edited.db, 'change')).firstBroken).toMatchObject({ id: 2, reason: 'hash_mismatch' });
    const removed = setup();
    removed.raw.prepare('UPDATE change_events SET actor_id = NULL WHERE id = 2').run();
    expect((await verifyAuditChain(removed.db, 'change')).firstBroken).toMatchObject({ id: 2, reason: 'hash_mismatch' });
  });
});
