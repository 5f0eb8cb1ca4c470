import 'server-only';
import type { Db } from '@/db/client';
import { statement } from '@/db/statements';
import { GENESIS_HASH } from './chain';
import { auditStreams, latestCheckpoint, listCheckpoints, streamTable, type AuditStream } from './checkpoints';

/**
 * The head of a chain: its newest event's ID (`seq`) and hash. A copy of it kept elsewhere
 * (the daily log line, an operator's notes) later proves that the chain still reaches it: a
 * cut tail (the newest events deleted, even with SQLite's sequence counter lowered too) leaves
 * a head that is behind, or an event at that ID with another hash.
 */
export interface ChainHead {
  stream: AuditStream;
  /** ID of the newest event; after a purge of everything, the checkpoint's last purged ID; 0 for an empty chain. */
  seq: number;
  hash: string;
}

/** Name of each chain on the command line and in the log: `logins=<seq>:<hash>`. */
export const headNames: Record<AuditStream, 'logins' | 'changes'> = { login: 'logins', change: 'changes' };

export function chainHead(db: Db, stream: AuditStream): ChainHead {
  const last = statement(db, `SELECT id, hash FROM ${streamTable[stream]} ORDER BY id DESC LIMIT 1`).get() as { id: number; hash: string } | undefined;
  if (last) return { stream, seq: last.id, hash: last.hash };
  const c = latestCheckpoint(db, stream);
  return c ? { stream, seq: c.purgedThroughId, hash: c.headHash } : { stream, seq: 0, hash: GENESIS_HASH };
}

export function chainHeads(db: Db): ChainHead[] {
  return auditStreams.map((s) => chainHead(db, s));
}

/** `logins=1234:9f2c…,changes=56:77ab…`: what `ice-sso audit verify --expect` takes. */
export function formatHeads(heads: readonly ChainHead[]): string {
  return heads.map((h) => `${headNames[h.stream]}=${h.seq}:${h.hash}`).join(',');
}

export interface ExpectedHead {
  stream: AuditStream;
  seq: number;
  hash: string;
}

/**
 * Parses `logins=<seq>:<hash>[,changes=<seq>:<hash>]` (`login`/`change` also accepted).
 * Returns the heads, or a message saying what is wrong.
 */
export function parseExpectedHeads(text: string): ExpectedHead[] | string {
  const out: ExpectedHead[] = [];
  for (const part of text.split(/[,\s]+/).filter(Boolean)) {
    const m = /^(logins?|changes?)=(\d{1,15}):([0-9a-f]{64})$/i.exec(part);
    if (!m) return `"${part}": expected logins=<seq>:<hash> or changes=<seq>:<hash> (the hash is 64 hex digits)`;
    const stream: AuditStream = m[1]!.toLowerCase().startsWith('login') ? 'login' : 'change';
    if (out.some((h) => h.stream === stream)) return `the ${headNames[stream]} head is given twice`;
    out.push({ stream, seq: Number(m[2]), hash: m[3]!.toLowerCase() });
  }
  return out.length ? out : 'expected logins=<seq>:<hash> and/or changes=<seq>:<hash>';
}

/**
 * How a chain stands against a head seen earlier:
 * - `same`: it still ends there; `ahead`: it contains that event, with that hash, and has grown;
 * - `purged`: retention removed that event since (a signed checkpoint covers it; the walk checks checkpoints);
 * - `behind`: it ends before that event: the tail was cut;
 * - `differs`: the event at that ID has another hash, or is missing from the middle.
 */
export type HeadStanding = 'same' | 'ahead' | 'purged' | 'behind' | 'differs';

export interface HeadComparison {
  stream: AuditStream;
  expected: { seq: number; hash: string };
  current: { seq: number; hash: string };
  standing: HeadStanding;
  /** True for `behind` and `differs`. */
  failed: boolean;
  message: string;
}

export function compareHead(db: Db, expected: ExpectedHead): HeadComparison {
  const { stream, seq, hash } = expected;
  const current = chainHead(db, stream);
  const result = (standing: HeadStanding, message: string): HeadComparison => ({
    stream,
    expected: { seq, hash },
    current: { seq: current.seq, hash: current.hash },
    standing,
    failed: standing === 'behind' || standing === 'differs',
    message,
  });
  if (current.seq < seq) {
    return result(
      'behind',
      `The chain ends at event ${current.seq}, but it reached event ${seq} before: events ${current.seq + 1}–${seq} were removed (a cut tail).`,
    );
  }
  const row = statement(db, `SELECT hash FROM ${streamTable[stream]} WHERE id = ?`).get(seq) as { hash: string } | undefined;
  const known = row?.hash ?? listCheckpoints(db, stream).find((c) => c.purgedThroughId === seq)?.headHash ?? (seq === 0 ? GENESIS_HASH : undefined);
  if (known !== undefined) {
    if (known !== hash)
      return result('differs', `Event ${seq} has hash ${known.slice(0, 12)}…, not the expected ${hash.slice(0, 12)}…: the chain was rewritten from there.`);
    return current.seq === seq
      ? result('same', `The chain still ends at the expected head, event ${seq}.`)
      : result('ahead', `The chain contains the expected head, event ${seq}, and has grown to ${current.seq}.`);
  }
  const covering = latestCheckpoint(db, stream);
  if (covering && covering.purgedThroughId > seq) {
    return result(
      'purged',
      `Event ${seq} was purged by retention (checkpoint #${covering.id} covers events through ${covering.purgedThroughId}); the chain has grown to ${current.seq}.`,
    );
  }
  return result('differs', `Event ${seq} is missing from the chain, which ends at ${current.seq}.`);
}
