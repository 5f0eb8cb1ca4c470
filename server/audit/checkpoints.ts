import 'server-only';
import crypto from 'node:crypto';
import type { Db } from '@/db/client';
import { statement } from '@/db/statements';

export type AuditStream = 'login' | 'change';
export const auditStreams: readonly AuditStream[] = ['login', 'change'];

/** Table of each chain. */
export const streamTable: Record<AuditStream, 'login_events' | 'change_events'> = { login: 'login_events', change: 'change_events' };

export interface AuditCheckpoint {
  id: number;
  stream: AuditStream;
  /** Every event of the stream with an ID up to this one was purged. */
  purgedThroughId: number;
  /** Chain hash of the last purged event: the `prevHash` of the next event. */
  headHash: string;
  /** Events purged by the batch that wrote this checkpoint. */
  purgedCount: number;
  createdAt: number;
  signature: string;
}

type UnsignedCheckpoint = Omit<AuditCheckpoint, 'id' | 'signature'>;

/**
 * HMAC-SHA256 with the audit key over the checkpoint's fields. The leading label keeps a
 * checkpoint signature from ever equalling a row's chain hash (same key, other input).
 */
export function checkpointSignature(key: Buffer, c: UnsignedCheckpoint): string {
  return crypto
    .createHmac('sha256', key)
    .update(JSON.stringify(['ice-sso audit checkpoint v1', c.stream, c.purgedThroughId, c.headHash, c.purgedCount, c.createdAt]))
    .digest('hex');
}

export function isCheckpointSignatureValid(key: Buffer, c: AuditCheckpoint): boolean {
  const expected = Buffer.from(checkpointSignature(key, c), 'hex');
  const actual = Buffer.from(c.signature, 'hex');
  return actual.length === expected.length && crypto.timingSafeEqual(actual, expected);
}

const COLUMNS = 'id, stream, purged_through_id AS purgedThroughId, head_hash AS headHash, purged_count AS purgedCount, created_at AS createdAt, signature';

/** Checkpoints of a stream, oldest first. */
export function listCheckpoints(db: Db, stream: AuditStream): AuditCheckpoint[] {
  return statement(db, `SELECT ${COLUMNS} FROM audit_checkpoints WHERE stream = ? ORDER BY id`).all(stream) as AuditCheckpoint[];
}

export function latestCheckpoint(db: Db, stream: AuditStream): AuditCheckpoint | undefined {
  return statement(db, `SELECT ${COLUMNS} FROM audit_checkpoints WHERE stream = ? ORDER BY id DESC LIMIT 1`).get(stream) as AuditCheckpoint | undefined;
}

/** Writes a signed checkpoint; call inside the write transaction that deletes the events it covers. */
export function writeCheckpoint(db: Db, key: Buffer, c: UnsignedCheckpoint): void {
  statement(db, 'INSERT INTO audit_checkpoints (stream, purged_through_id, head_hash, purged_count, created_at, signature) VALUES (?, ?, ?, ?, ?, ?)').run(
    c.stream,
    c.purgedThroughId,
    c.headHash,
    c.purgedCount,
    c.createdAt,
    checkpointSignature(key, c),
  );
}
