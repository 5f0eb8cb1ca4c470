import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditCheckpoints, changeEvents, loginEvents } from '@/db/schema';
import { writeTransaction } from '@/db/transaction';
import { SettingsValidationError } from '@/server/settings/errors';
import { updateSettings } from '@/server/settings/service';
import { recordChange } from '@/server/audit/changes';
import { listCheckpoints } from '@/server/audit/checkpoints';
import { listLoginEvents } from '@/server/audit/login-history';
import { recordLoginEvent } from '@/server/audit/logins';
import { purgeExpiredAuditEvents } from './retention';
import { auditRetentionTask } from './retention-task';
import { freshDb } from '@/server/audit/test-fixtures';
import { verifyAuditChain, verifyAuditChains } from '@/server/audit/verify';
import { rawConnection } from '@/test/support/test-database';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-22T12:00:00Z');

/** One login and one change a day for the last `days` days, oldest first. */
function yearsOfHistory(days = 400) {
  const { db, file } = freshDb();
  writeTransaction(db, () => {
    for (let d = days; d >= 1; d--) {
      recordLoginEvent(db, { outcome: 'accepted', reason: null, status: 200, username: `day-${d}`, amr: ['wia'] }, NOW - d * DAY);
      recordChange(db, { kind: 'cli', name: 'cli' }, { action: 'user.disable', targetType: 'user', targetId: `u${d}` }, NOW - d * DAY);
    }
  });
  return { db, file };
}

describe('audit retention', () => {
  it('purges events older than the retention setting, and what remains still verifies', async () => {
    const { db } = yearsOfHistory();
    const r = await purgeExpiredAuditEvents(db, NOW, { batchSize: 16 });
    expect(r.retentionDays).toBe(365);
    expect(r.login).toEqual({ purged: 35, throughId: 35, attempts: 35 });
    expect(r.change.purged).toBe(35);
    expect(db.select().from(loginEvents).all()).toHaveLength(365);
    expect(
      Math.min(
        ...db
          .select()
          .from(loginEvents)
          .all()
          .map((e) => e.ts),
      ),
    ).toBeGreaterThanOrEqual(NOW - 365 * DAY);
    // batches of 16: three signed checkpoints per stream, the last at the last purged event
    const checkpoints = listCheckpoints(db, 'login');
    expect(checkpoints.map((c) => [c.purgedThroughId, c.purgedCount])).toEqual([
      [16, 16],
      [32, 16],
      [35, 3],
    ]);
    const results = await verifyAuditChains(db);
    expect(results[0]).toMatchObject({ stream: 'login', verified: 365, checkpoint: { purgedThroughId: 35 } });
    expect(results[0]!.firstBroken).toBeUndefined();
    expect(results[1]!.firstBroken).toBeUndefined();
    // 365 left + the record of each purge batch (3 per stream)
    expect(results[1]!.verified).toBe(371);
  });

  it('records each purge batch in the change log, by the system, with what it removed from which chain', async () => {
    const { db } = freshDb();
    writeTransaction(db, () => {
      // a summary row first among the expired events: its attempts are counted in the record
      recordLoginEvent(db, { outcome: 'refused', reason: 'too_many_attempts', status: 429, attempts: 250, lastTs: NOW - 371 * DAY + 5000 }, NOW - 371 * DAY);
      for (let d = 370; d >= 1; d--) {
        recordLoginEvent(db, { outcome: 'accepted', reason: null, status: 200 }, NOW - d * DAY);
        recordChange(db, { kind: 'cli', name: 'cli' }, { action: 'user.disable', targetType: 'user', targetId: `u${d}` }, NOW - d * DAY);
      }
    });
    await purgeExpiredAuditEvents(db, NOW, { batchSize: 4 });
    const purges = db
      .select()
      .from(changeEvents)
      .all()
      .filter((c) => c.action === 'audit.purge');
    expect(purges.every((p) => p.actor === 'system' && p.actorKind === 'system' && p.targetType === 'audit')).toBe(true);
    const records = purges.map((p) => ({ targetId: p.targetId, ...(JSON.parse(p.after!) as Record<string, unknown>) }) as Record<string, unknown>);
    const checkpoints = listCheckpoints(db, 'login');
    expect(records.filter((r) => r.stream === 'login')).toEqual([
      {
        targetId: 'logins',
        stream: 'login',
        retentionDays: 365,
        cutoff: new Date(NOW - 365 * DAY).toISOString(),
        purged: 4,
        attempts: 253,
        fromId: 1,
        throughId: 4,
        from: new Date(NOW - 371 * DAY).toISOString(),
        to: new Date(NOW - 368 * DAY).toISOString(),
        checkpoint: { purgedThroughId: 4, headHash: checkpoints[0]!.headHash },
      },
      {
        targetId: 'logins',
        stream: 'login',
        retentionDays: 365,
        cutoff: new Date(NOW - 365 * DAY).toISOString(),
        purged: 2,
        attempts: 2,
        fromId: 5,
        throughId: 6,
        from: new Date(NOW - 367 * DAY).toISOString(),
        to: new Date(NOW - 366 * DAY).toISOString(),
        checkpoint: { purgedThroughId: 6, headHash: checkpoints[1]!.headHash },
      },
    ]);
    expect(records.filter((r) => r.stream === 'change').map((r) => [r.targetId, r.purged, r.fromId, r.throughId])).toEqual([
      ['changes', 4, 1, 4],
      ['changes', 1, 5, 5],
    ]);
    // nothing expired: nothing purged, nothing recorded
    const again = await purgeExpiredAuditEvents(db, NOW);
    expect(again.login.purged + again.change.purged).toBe(0);
    expect(
      db
        .select()
        .from(changeEvents)
        .all()
        .filter((c) => c.action === 'audit.purge'),
    ).toHaveLength(4);
    expect((await verifyAuditChains(db)).map((v) => v.firstBroken)).toEqual([undefined, undefined]);
  });

  it('refuses a retention below the 30-day floor with a message saying so, and accepts 30', () => {
    const { db } = freshDb();
    for (const days of [0, 1, 29]) {
      let error: unknown;
      try {
        updateSettings(db, { auditRetentionDays: days }, { kind: 'cli', name: 'cli' });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(SettingsValidationError);
      expect((error as SettingsValidationError).issues).toEqual([
        {
          field: 'auditRetentionDays',
          message: 'must be at least 30 days: audit history younger than that can never be purged (retention floor)',
          text: 'Audit retention (days) must be at least 30 days: audit history younger than that can never be purged (retention floor).',
        },
      ]);
    }
    expect(updateSettings(db, { auditRetentionDays: 30 }, { kind: 'cli', name: 'cli' }).document.auditRetentionDays).toBe(30);
  });

  it('keeps 30 days even when a stored settings document says less (written before the floor, or into the database directly)', async () => {
    const { db } = yearsOfHistory(40);
    db.$client
      .prepare("INSERT INTO settings_versions (version, document, author, author_kind, created_at) VALUES (99, json(?), 'intruder', 'cli', ?)")
      .run(JSON.stringify({ auditRetentionDays: 1 }), NOW);
    const r = await purgeExpiredAuditEvents(db, NOW);
    expect(r.retentionDays).toBe(30);
    expect(r.login.purged).toBe(10);
    expect(db.select().from(loginEvents).all()).toHaveLength(30);
  });

  it('follows a changed retention setting', async () => {
    const { db } = yearsOfHistory(100);
    updateSettings(db, { auditRetentionDays: 30 }, { kind: 'cli', name: 'cli' });
    const r = await purgeExpiredAuditEvents(db, NOW);
    expect(r.login.purged).toBe(70);
    expect(listLoginEvents(db, {}, { limit: 200 }).items).toHaveLength(30);
    expect((await verifyAuditChain(db, 'login')).verified).toBe(30);
  });

  it('chains new events to the checkpoint when everything was purged', async () => {
    const { db } = yearsOfHistory(10);
    updateSettings(db, { auditRetentionDays: 30 }, { kind: 'cli', name: 'cli' });
    await purgeExpiredAuditEvents(db, NOW + 60 * DAY);
    expect(db.select().from(loginEvents).all()).toHaveLength(0);
    recordLoginEvent(db, { outcome: 'refused', reason: 'token_expired', status: 401 }, NOW + 60 * DAY);
    expect(await verifyAuditChain(db, 'login')).toMatchObject({ verified: 1 });
    expect((await verifyAuditChain(db, 'login')).firstBroken).toBeUndefined();
  });

  it('cuts a chain only at its start: an old event behind a newer one waits', async () => {
    const { db } = freshDb();
    writeTransaction(db, () => {
      recordLoginEvent(db, { outcome: 'accepted', reason: null, status: 200 }, NOW - 400 * DAY);
      recordLoginEvent(db, { outcome: 'accepted', reason: null, status: 200 }, NOW - 10 * DAY); // a clock ahead
      recordLoginEvent(db, { outcome: 'accepted', reason: null, status: 200 }, NOW - 390 * DAY);
    });
    const r = await purgeExpiredAuditEvents(db, NOW);
    expect(r.login).toEqual({ purged: 1, throughId: 1, attempts: 1 });
    expect((await verifyAuditChain(db, 'login')).firstBroken).toBeUndefined();
  });

  it('finds a forged checkpoint, an edited one, a deleted one, and a purged event put back', async () => {
    const forge = async (sql: string, reason: string) => {
      const { db, file } = yearsOfHistory(380);
      await purgeExpiredAuditEvents(db, NOW);
      const raw = rawConnection(file);
      raw.exec(sql);
      raw.close();
      const r = await verifyAuditChain(db, 'login');
      expect(r.firstBroken?.reason, sql).toBe(reason);
      return r;
    };
    // an intruder deletes more old events and writes a checkpoint that would cover them
    await forge(
      `INSERT INTO audit_checkpoints (stream, purged_through_id, head_hash, purged_count, created_at, signature)
         SELECT 'login', 20, hash, 5, 0, '${'ab'.repeat(32)}' FROM login_events WHERE id = 20;
       DELETE FROM login_events WHERE id <= 20;`,
      'checkpoint_invalid',
    );
    await forge(`UPDATE audit_checkpoints SET purged_count = 1 WHERE stream = 'login'`, 'checkpoint_invalid');
    await forge(`DELETE FROM audit_checkpoints WHERE stream = 'login'`, 'link_mismatch');
    await forge(
      `INSERT INTO login_events (id, ts, outcome, status, prev_hash, hash) VALUES (3, 0, 'accepted', 200, '${'0'.repeat(64)}', '${'0'.repeat(64)}')`,
      'purged_event_present',
    );
  });

  it('never purges events that do not verify: the evidence stays', async () => {
    const { db, file } = yearsOfHistory(380);
    const raw = rawConnection(file);
    raw.prepare("UPDATE login_events SET username = 'someone else' WHERE id = 8").run();
    raw.close();
    const r = await purgeExpiredAuditEvents(db, NOW, { batchSize: 5 });
    expect(r.login.purged).toBe(7);
    expect(r.login.refused).toMatchObject({ id: 8 });
    expect(r.change.purged).toBe(15);
    expect((await verifyAuditChain(db, 'login')).firstBroken).toMatchObject({ id: 8, reason: 'hash_mismatch' });
  });

  it('runs at start as a background task, and stops cleanly', async () => {
    const { db } = yearsOfHistory(370);
    const stop = auditRetentionTask.start(db)!;
    for (let i = 0; i < 100 && db.select().from(auditCheckpoints).all().length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    await stop();
    expect(db.select().from(loginEvents).all().length).toBeLessThanOrEqual(366);
    expect(listCheckpoints(db, 'change')).toHaveLength(1);
  });
});

describe('nothing else deletes or updates audit rows', () => {
  it('has no UPDATE or DELETE of an audit table outside server/audit-reports/retention.ts', () => {
    const root = path.resolve(__dirname, '..', '..');
    const offenders: string[] = [];
    const visit = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (['node_modules', '.next', '.git', 'data', 'test-results', 'e2e', 'bench', 'migrations'].includes(entry.name)) continue;
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) visit(p);
        else if (
          /\.(ts|tsx|mjs|cjs|js)$/.test(entry.name) &&
          !/\.test\.ts$/.test(entry.name) &&
          !p.endsWith(path.join('server', 'audit-reports', 'retention.ts'))
        ) {
          const text = fs.readFileSync(p, 'utf8');
          if (
            /\b(update|delete)\s*\(\s*(loginEvents|changeEvents|auditCheckpoints)\b|\b(UPDATE|DELETE\s+FROM)\s+[`"]?(login_events|change_events|audit_checkpoints)\b/i.test(
              text,
            )
          )
            offenders.push(path.relative(root, p));
        }
      }
    };
    visit(root);
    expect(offenders).toEqual([]);
  });
});
