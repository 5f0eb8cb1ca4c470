import 'server-only';
import type { Db } from '@/db/client';
import { writeTransaction } from '@/db/transaction';
import { getSettings } from '@/server/settings/service';
import { chainHash, GENESIS_HASH } from './chain';
import { chainRowsAfter } from './chain-rows';
import { recordChange } from './changes';
import { auditStreams, latestCheckpoint, streamTable, writeCheckpoint, type AuditStream } from './checkpoints';
import { auditKey } from './key';
import { statement } from '@/db/statements';
import { yieldToEventLoop } from './sql';

const DAY_MS = 86_400_000;
/** Events deleted per write transaction: short enough that logins never wait long for the lock. */
export const PURGE_BATCH = 5000;

export interface StreamPurge {
  purged: number;
  /** ID of the last purged event (the newest checkpoint's purgedThroughId), when any was purged. */
  throughId: number | null;
  /** Set when the oldest events do not verify: nothing more is purged from this stream, to keep the evidence. */
  refused?: { id: number; message: string };
}

export interface PurgeResult {
  retentionDays: number;
  /** Events with a time before this (epoch ms) are expired. */
  cutoff: number;
  login: StreamPurge;
  change: StreamPurge;
}

/**
 * Deletes audit events older than the `auditRetentionDays` setting, oldest first, in batches
 * of {@link PURGE_BATCH}. Each batch is one write transaction that first verifies the events
 * it removes (hash and link, from the previous checkpoint), then writes a signed checkpoint of
 * the last one (so the remaining chain still verifies from it) and deletes them. A chain is
 * cut only at its start: an expired event behind a newer one (clocks of two processes) waits
 * until everything before it has expired. When anything was purged, the purge is recorded in
 * the change log (`audit.purge`, actor system). The only code that deletes audit rows.
 */
export async function purgeExpiredAuditEvents(db: Db, now = Date.now(), options: { batchSize?: number } = {}): Promise<PurgeResult> {
  const retentionDays = getSettings(db, now).effective.auditRetentionDays;
  const cutoff = now - retentionDays * DAY_MS;
  const batchSize = options.batchSize ?? PURGE_BATCH;
  const result: PurgeResult = { retentionDays, cutoff, login: { purged: 0, throughId: null }, change: { purged: 0, throughId: null } };
  for (const stream of auditStreams) {
    for (;;) {
      const batch = writeTransaction(db, () => purgeBatch(db, stream, cutoff, batchSize, now));
      if (batch.refused) result[stream].refused = batch.refused;
      if (batch.purged === 0) break;
      result[stream].purged += batch.purged;
      result[stream].throughId = batch.throughId;
      await yieldToEventLoop();
    }
  }
  if (result.login.purged > 0 || result.change.purged > 0) {
    writeTransaction(db, () =>
      recordChange(
        db,
        { kind: 'system', name: 'system' },
        {
          action: 'audit.purge',
          targetType: 'audit',
          after: {
            retentionDays,
            cutoff: new Date(cutoff).toISOString(),
            login: { purged: result.login.purged, throughId: result.login.throughId },
            change: { purged: result.change.purged, throughId: result.change.throughId },
          },
        },
        now,
      ),
    );
  }
  return result;
}

function purgeBatch(db: Db, stream: AuditStream, cutoff: number, batchSize: number, now: number): StreamPurge {
  const key = auditKey(db);
  const checkpoint = latestCheckpoint(db, stream);
  let expected = checkpoint?.headHash ?? GENESIS_HASH;
  const rows = chainRowsAfter(db, stream, checkpoint?.purgedThroughId ?? 0, batchSize);
  let purged = 0;
  let last: { id: number; hash: string } | null = null;
  let refused: StreamPurge['refused'];
  for (const row of rows) {
    if (row.ts >= cutoff) break;
    if (row.prevHash !== expected || chainHash(key, row.prevHash, row.fields) !== row.hash) {
      // never let retention erase the evidence of tampering: keep this event and all later ones
      refused = { id: row.id, message: `Event ${row.id} does not verify; it and later events are kept. Run "ice-sso audit verify".` };
      break;
    }
    expected = row.hash;
    last = { id: row.id, hash: row.hash };
    purged++;
  }
  if (!last) return { purged: 0, throughId: null, ...(refused ? { refused } : {}) };
  writeCheckpoint(db, key, { stream, purgedThroughId: last.id, headHash: last.hash, purgedCount: purged, createdAt: now });
  statement(db, `DELETE FROM ${streamTable[stream]} WHERE id <= ?`).run(last.id);
  return { purged, throughId: last.id, ...(refused ? { refused } : {}) };
}
