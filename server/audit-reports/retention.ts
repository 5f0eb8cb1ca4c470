import 'server-only';
import type { Db } from '@/db/client';
import { writeTransaction } from '@/db/transaction';
import { getSettings } from '@/server/settings/service';
import { AUDIT_RETENTION_FLOOR_DAYS } from '@/server/settings/schema';
import { chainHash, GENESIS_HASH } from '@/server/audit/chain';
import { chainRowsAfter } from '@/server/audit/chain-rows';
import { recordChange } from '@/server/audit/changes';
import { auditStreams, latestCheckpoint, streamTable, writeCheckpoint, type AuditStream } from '@/server/audit/checkpoints';
import { auditKey } from '@/server/audit/key';
import { statement } from '@/db/statements';
import { yieldToEventLoop } from '@/server/audit/sql';

const DAY_MS = 86_400_000;
/** Events deleted per write transaction: short enough that logins never wait long for the lock. */
export const PURGE_BATCH = 5000;

export interface StreamPurge {
  purged: number;
  /** ID of the last purged event (the newest checkpoint's purgedThroughId), when any was purged. */
  throughId: number | null;
  /** Login history: attempts the purged rows stood for (summary rows count theirs). */
  attempts?: number;
  /** Set when the oldest events do not verify: nothing more is purged from this stream, to keep the evidence. */
  refused?: { id: number; message: string };
}

export interface PurgeResult {
  /** The retention applied: the setting, never less than {@link AUDIT_RETENTION_FLOOR_DAYS}. */
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
 * until everything before it has expired. Each batch is recorded in the change log in its own
 * transaction (`audit.purge`, actor system, with what it removed: the chain, counts, ID and time
 * range, and the checkpoint), so no event is ever deleted without its record. The retention is
 * never below {@link AUDIT_RETENTION_FLOOR_DAYS}, whatever the stored setting says. The only
 * code that deletes audit rows.
 */
export async function purgeExpiredAuditEvents(db: Db, now = Date.now(), options: { batchSize?: number } = {}): Promise<PurgeResult> {
  const retentionDays = Math.max(AUDIT_RETENTION_FLOOR_DAYS, getSettings(db, now).effective.auditRetentionDays);
  const cutoff = now - retentionDays * DAY_MS;
  const batchSize = options.batchSize ?? PURGE_BATCH;
  const result: PurgeResult = { retentionDays, cutoff, login: { purged: 0, throughId: null, attempts: 0 }, change: { purged: 0, throughId: null } };
  for (const stream of auditStreams) {
    for (;;) {
      const batch = writeTransaction(db, () => purgeBatch(db, stream, { retentionDays, cutoff, batchSize, now }));
      if (batch.refused) result[stream].refused = batch.refused;
      if (batch.purged === 0) break;
      result[stream].purged += batch.purged;
      result[stream].throughId = batch.throughId;
      if (stream === 'login') result.login.attempts! += batch.attempts ?? 0;
      await yieldToEventLoop();
    }
  }
  return result;
}

/**
 * What one purge batch removed, as its change-log record says (`after` of `audit.purge`):
 * the chain, how many events (and, for the login history, attempts), their ID and time range,
 * and the checkpoint the rest verifies from.
 */
export interface PurgeRecord {
  stream: AuditStream;
  retentionDays: number;
  cutoff: string;
  purged: number;
  attempts?: number;
  fromId: number;
  throughId: number;
  /** Oldest and newest time of the purged events (ISO 8601). */
  from: string;
  to: string;
  checkpoint: { purgedThroughId: number; headHash: string };
}

interface BatchOptions {
  retentionDays: number;
  cutoff: number;
  batchSize: number;
  now: number;
}

function purgeBatch(db: Db, stream: AuditStream, { retentionDays, cutoff, batchSize, now }: BatchOptions): StreamPurge {
  const key = auditKey(db);
  const checkpoint = latestCheckpoint(db, stream);
  let expected = checkpoint?.headHash ?? GENESIS_HASH;
  const rows = chainRowsAfter(db, stream, checkpoint?.purgedThroughId ?? 0, batchSize);
  let purged = 0;
  let attempts = 0;
  let oldest = Infinity;
  let newest = -Infinity;
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
    attempts += row.attempts;
    oldest = Math.min(oldest, row.ts);
    newest = Math.max(newest, row.ts);
  }
  if (!last) return { purged: 0, throughId: null, ...(refused ? { refused } : {}) };
  writeCheckpoint(db, key, { stream, purgedThroughId: last.id, headHash: last.hash, purgedCount: purged, createdAt: now });
  statement(db, `DELETE FROM ${streamTable[stream]} WHERE id <= ?`).run(last.id);
  const record: PurgeRecord = {
    stream,
    retentionDays,
    cutoff: new Date(cutoff).toISOString(),
    purged,
    ...(stream === 'login' ? { attempts } : {}),
    fromId: rows[0]!.id,
    throughId: last.id,
    from: new Date(oldest).toISOString(),
    to: new Date(newest).toISOString(),
    checkpoint: { purgedThroughId: last.id, headHash: last.hash },
  };
  // in the same transaction as the deletion: no purge without its record
  recordChange(
    db,
    { kind: 'system', name: 'system' },
    { action: 'audit.purge', targetType: 'audit', targetId: stream === 'login' ? 'logins' : 'changes', after: record },
    now,
  );
  return { purged, throughId: last.id, ...(stream === 'login' ? { attempts } : {}), ...(refused ? { refused } : {}) };
}
