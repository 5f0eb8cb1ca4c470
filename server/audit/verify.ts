import 'server-only';
import type { z } from 'zod';
import { isPostgres, type Db } from '@/db/client';
import type { chainVerificationSchema } from './schemas';
import { chainHash, GENESIS_HASH } from './chain';
import { chainRowsAfter, type ChainRow } from './chain-rows';
import {
  auditStreams,
  isCheckpointSignatureValid,
  latestCheckpoint,
  listCheckpoints,
  streamTable,
  type AuditCheckpoint,
  type AuditStream,
} from './checkpoints';
import { auditKey } from './key';
import { statement } from '@/db/statements';
import { yieldToEventLoop } from './sql';

/**
 * Why a chain is broken:
 * - `hash_mismatch`: the event's recorded fields no longer give its hash (the row was edited);
 * - `link_mismatch`: the event is not chained to the event before it (an event between them
 *   was removed, or its `prev_hash` was edited);
 * - `checkpoint_invalid`: a retention checkpoint's signature does not verify (forged or edited);
 * - `purged_event_present`: an event that a checkpoint says was purged is in the table (inserted);
 * - `tail_missing`: events after the last one present were removed (SQLite's AUTOINCREMENT
 *   counter has handed out higher IDs).
 */
export type ChainVerification = z.infer<typeof chainVerificationSchema>;
export type ChainBreak = NonNullable<ChainVerification['firstBroken']>['reason'];

const PAGE = 2000;

/**
 * Walks one chain in ID order from the latest checkpoint (after checking every checkpoint's
 * signature), recomputing each event's hash with the audit key. Reads 2,000 rows at a time
 * and yields to the event loop between pages: flat memory, the server keeps serving.
 */
export async function verifyAuditChain(db: Db, stream: AuditStream): Promise<ChainVerification> {
  for (let attempt = 0; ; attempt++) {
    const result = await walkChain(db, stream);
    // a retention purge that ran meanwhile (between pages) moves the start: walk again from its checkpoint
    if (!result.firstBroken || attempt >= 2 || latestCheckpoint(db, stream)?.id === result.checkpoint?.id) return result;
  }
}

async function walkChain(db: Db, stream: AuditStream): Promise<ChainVerification> {
  const key = auditKey(db);
  const table = streamTable[stream];
  const checkpoints = listCheckpoints(db, stream);
  for (const c of checkpoints) {
    if (!isCheckpointSignatureValid(key, c)) {
      return broken(stream, 0, c, {
        id: c.purgedThroughId,
        reason: 'checkpoint_invalid',
        checkpointId: c.id,
        message: `Retention checkpoint #${c.id} (events through ${c.purgedThroughId}) has an invalid signature: it was forged or edited.`,
      });
    }
  }
  const latest: AuditCheckpoint | undefined = checkpoints.at(-1);
  let expected = latest?.headHash ?? GENESIS_HASH;
  let lastId = latest?.purgedThroughId ?? 0;
  if (latest) {
    const leftover = statement(db, `SELECT min(id) AS id FROM ${table} WHERE id <= ?`).get(latest.purgedThroughId) as { id: number | null };
    if (leftover.id !== null) {
      return broken(stream, 0, latest, {
        id: leftover.id,
        reason: 'purged_event_present',
        message: `Event ${leftover.id} is present although checkpoint #${latest.id} says every event through ${latest.purgedThroughId} was purged: it was inserted afterwards.`,
      });
    }
  }
  // read before the walk: events appended while it runs are not a missing tail
  const seq = highestIssuedId(db, table);
  let verified = 0;
  for (;;) {
    const rows = chainRowsAfter(db, stream, lastId, PAGE);
    for (const row of rows) {
      const rowBreak = chainRowBreak(key, row, expected, lastId);
      if (rowBreak) return broken(stream, verified, latest, rowBreak);
      expected = row.hash;
      lastId = row.id;
      verified++;
    }
    if (rows.length < PAGE) break;
    await yieldToEventLoop();
  }
  if (seq && seq.seq > lastId) {
    return broken(stream, verified, latest, {
      id: seq.seq,
      reason: 'tail_missing',
      message: `The newest events were removed: IDs up to ${seq.seq} were handed out, but the chain ends at ${lastId || 'its start'}.`,
    });
  }
  return { stream, verified, ...checkpointInfo(latest) };
}

/**
 * The check of one event against the chain walked so far (`expected`: the hash of the event
 * before it; `lastId`: its ID, 0 at the start): a `link_mismatch` or `hash_mismatch` break, or
 * null when the event links and its fields still give its hash. Pure, so that a walk over
 * another copy of the rows (db copy's, on PostgreSQL) checks them exactly as this one does.
 */
export function chainRowBreak(
  key: Buffer,
  row: Pick<ChainRow, 'id' | 'prevHash' | 'hash' | 'fields'>,
  expected: string,
  lastId: number,
): NonNullable<ChainVerification['firstBroken']> | null {
  if (row.prevHash !== expected) {
    const gap = row.id > lastId + 1 ? ` Events ${lastId + 1}–${row.id - 1} are missing.` : '';
    return {
      id: row.id,
      reason: 'link_mismatch',
      message: `Event ${row.id} is not chained to the event before it${lastId > 0 ? ` (${lastId})` : ''}: an event between them was removed, or the link was edited.${gap}`,
    };
  }
  if (chainHash(key, row.prevHash, row.fields) !== row.hash) {
    return { id: row.id, reason: 'hash_mismatch', message: `Event ${row.id} was altered after it was recorded: its fields no longer match its hash.` };
  }
  return null;
}

/** Verifies the login history and the change log. */
export async function verifyAuditChains(db: Db): Promise<ChainVerification[]> {
  const results: ChainVerification[] = [];
  for (const stream of auditStreams) results.push(await verifyAuditChain(db, stream));
  return results;
}

function checkpointInfo(c: AuditCheckpoint | undefined): Pick<ChainVerification, 'checkpoint'> {
  return c ? { checkpoint: { id: c.id, purgedThroughId: c.purgedThroughId, createdAt: c.createdAt } } : {};
}

function broken(
  stream: AuditStream,
  verified: number,
  c: AuditCheckpoint | undefined,
  firstBroken: NonNullable<ChainVerification['firstBroken']>,
): ChainVerification {
  return { stream, verified, ...checkpointInfo(c), firstBroken };
}

/**
 * The highest ID the database has handed out for `table`: SQLite's AUTOINCREMENT counter, or the
 * identity column's sequence on PostgreSQL. PostgreSQL spends a number even for an insert whose
 * transaction then failed, so there a failed commit of a stream's newest event reads as a cut
 * tail until that stream's next event (docs/operations.md, "Audit on PostgreSQL").
 */
function highestIssuedId(db: Db, table: string): { seq: number } | undefined {
  if (!isPostgres(db)) return statement(db, 'SELECT seq FROM sqlite_sequence WHERE name = ?').get(table) as { seq: number } | undefined;
  const row = statement(db, 'SELECT last_value AS seq FROM pg_sequences WHERE schemaname = current_schema() AND sequencename = ?').get(`${table}_id_seq`) as
    { seq: number | null } | undefined;
  return row && row.seq !== null ? { seq: row.seq } : undefined;
}
