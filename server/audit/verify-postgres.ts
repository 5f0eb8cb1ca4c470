import 'server-only';
import { asc, eq, gt, lte, min } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import * as pgSchema from '@/db/schema-pg';
import { GENESIS_HASH } from './chain';
import { hashFieldsOf } from './chain-rows';
import { auditStreams, isCheckpointSignatureValid, type AuditCheckpoint, type AuditStream } from './checkpoints';
import type { ChainHead } from './heads';
import { chainRowBreak, type ChainVerification } from './verify';

/*
 * The audit chains of a PostgreSQL database (db/schema-pg), walked as server/audit/verify.ts
 * walks SQLite's: every checkpoint signature, no purged event present, every event linked to
 * the one before and its fields giving its hash (the same chainRowBreak). Used by `ice-sso db
 * copy` before it commits. Unlike SQLite's walk it has no sequence to tell a cut tail (a
 * PostgreSQL sequence also moves on for rolled-back inserts): the copy compares heads instead.
 */

export type PgAuditDb = NodePgDatabase<typeof pgSchema>;

export type PostgresChainVerification = ChainVerification & { head: ChainHead };

const PAGE = 2000;
const tables = { login: pgSchema.loginEvents, change: pgSchema.changeEvents } as const;

/** Walks one chain on PostgreSQL with the audit key; returns what it verified, its head and its first break. */
export async function verifyPostgresChain(db: PgAuditDb, key: Buffer, stream: AuditStream): Promise<PostgresChainVerification> {
  const table = tables[stream];
  const checkpoints = (await db
    .select()
    .from(pgSchema.auditCheckpoints)
    .where(eq(pgSchema.auditCheckpoints.stream, stream))
    .orderBy(asc(pgSchema.auditCheckpoints.id))) as AuditCheckpoint[];
  const latest = checkpoints.at(-1);
  let head: ChainHead = latest ? { stream, seq: latest.purgedThroughId, hash: latest.headHash } : { stream, seq: 0, hash: GENESIS_HASH };
  const result = (verified: number, firstBroken?: ChainVerification['firstBroken']): PostgresChainVerification => ({
    stream,
    verified,
    ...(latest ? { checkpoint: { id: latest.id, purgedThroughId: latest.purgedThroughId, createdAt: latest.createdAt } } : {}),
    ...(firstBroken ? { firstBroken } : {}),
    head,
  });
  for (const c of checkpoints) {
    if (!isCheckpointSignatureValid(key, c))
      return result(0, {
        id: c.purgedThroughId,
        reason: 'checkpoint_invalid',
        checkpointId: c.id,
        message: `Retention checkpoint #${c.id} (events through ${c.purgedThroughId}) has an invalid signature: it was forged or edited.`,
      });
  }
  if (latest) {
    const [leftover] = await db
      .select({ id: min(table.id) })
      .from(table)
      .where(lte(table.id, latest.purgedThroughId));
    if (leftover?.id != null)
      return result(0, {
        id: leftover.id,
        reason: 'purged_event_present',
        message: `Event ${leftover.id} is present although checkpoint #${latest.id} says every event through ${latest.purgedThroughId} was purged: it was inserted afterwards.`,
      });
  }
  let expected = head.hash;
  let lastId = head.seq;
  let verified = 0;
  for (;;) {
    const rows = await db.select().from(table).where(gt(table.id, lastId)).orderBy(asc(table.id)).limit(PAGE);
    for (const row of rows) {
      const rowBreak = chainRowBreak(key, { id: row.id, prevHash: row.prevHash, hash: row.hash, fields: hashFieldsOf(stream, row) }, expected, lastId);
      if (rowBreak) return result(verified, rowBreak);
      expected = row.hash;
      lastId = row.id;
      head = { stream, seq: row.id, hash: row.hash };
      verified++;
    }
    if (rows.length < PAGE) break;
  }
  return result(verified);
}

/** Both chains (login history, change log) on PostgreSQL. */
export async function verifyPostgresChains(db: PgAuditDb, key: Buffer): Promise<PostgresChainVerification[]> {
  const results: PostgresChainVerification[] = [];
  for (const stream of auditStreams) results.push(await verifyPostgresChain(db, key, stream));
  return results;
}
