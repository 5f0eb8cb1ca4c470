import 'server-only';
import type { Db } from '@/db/client';
import { changeHashFields } from './changes';
import type { AuditStream } from './checkpoints';
import { loginHashFields } from './logins';
import { statement } from '@/db/statements';

/** A row as the chain sees it: its ID, timestamp, hashed fields, and stored hashes. */
export interface ChainRow {
  id: number;
  ts: number;
  prevHash: string;
  hash: string;
  fields: unknown[];
  /** Attempts the row stands for (login summary rows; 1 otherwise). */
  attempts: number;
}

/** Columns and the property names that loginHashFields / changeHashFields read. */
const COLUMNS: Record<AuditStream, ReadonlyArray<readonly [string, string]>> = {
  login: [
    ['ts', 'ts'],
    ['outcome', 'outcome'],
    ['reason', 'reason'],
    ['status', 'status'],
    ['tenant_id', 'tenantId'],
    ['object_id', 'objectId'],
    ['user_id', 'userId'],
    ['username', 'username'],
    ['display_name', 'displayName'],
    ['client_app_id', 'clientAppId'],
    ['token_version', 'tokenVersion'],
    ['amr', 'amr'],
    ['sign_in_method', 'signInMethod'],
    ['uti', 'uti'],
    ['ip', 'ip'],
    ['user_agent', 'userAgent'],
    ['attempts', 'attempts'],
    ['last_ts', 'lastTs'],
    ['groups_source', 'groupsSource'],
  ],
  change: [
    ['ts', 'ts'],
    ['actor', 'actor'],
    ['actor_kind', 'actorKind'],
    ['action', 'action'],
    ['target_type', 'targetType'],
    ['target_id', 'targetId'],
    ['before', 'before'],
    ['after', 'after'],
    ['comment', 'comment'],
    ['ip', 'ip'],
    ['actor_id', 'actorId'],
  ],
};
const TABLE: Record<AuditStream, string> = { login: 'login_events', change: 'change_events' };

const sqlOf = (stream: AuditStream) =>
  `SELECT id, prev_hash, hash, ${COLUMNS[stream].map(([c]) => c).join(', ')} FROM ${TABLE[stream]} WHERE id > ? ORDER BY id LIMIT ?`;

/** Property names of the hashed fields, in the order of the SELECT (a test holds them to *HashFields' order). */
export function chainFieldNames(stream: AuditStream): string[] {
  return COLUMNS[stream].map(([, name]) => name);
}

/** Hashed fields of a row object, through the functions that recordLoginEvent/recordChange use. */
export function hashFieldsOf(stream: AuditStream, record: Record<string, unknown>): unknown[] {
  // the record holds the properties each *HashFields function reads
  return stream === 'login' ? loginHashFields(record as never) : changeHashFields(record as never);
}

/** The next `limit` rows of a chain after `afterId`, in ID (chain) order, with the fields the hash covers. */
export function chainRowsAfter(db: Db, stream: AuditStream, afterId: number, limit: number): ChainRow[] {
  // raw arrays, selected in hash-field order: this walk reads every row of the table (verify, retention)
  const rows = statement(db, sqlOf(stream), { raw: true }).all(afterId, limit) as unknown[][];
  const fieldsOf = stream === 'login' ? loginFieldsOfRaw : changeFieldsOfRaw;
  const attemptsAt = stream === 'login' ? 3 + COLUMNS.login.findIndex(([c]) => c === 'attempts') : -1;
  return rows.map((a) => ({
    id: a[0] as number,
    ts: a[3] as number,
    prevHash: a[1] as string,
    hash: a[2] as string,
    fields: fieldsOf(a),
    attempts: attemptsAt >= 0 ? (a[attemptsAt] as number) : 1,
  }));
}

/** The raw change row's hashed fields: `actor_id` (the last) only when set (see changeHashFields). */
function changeFieldsOfRaw(a: unknown[]): unknown[] {
  const fields = a.slice(3);
  return fields[fields.length - 1] !== null ? fields : fields.slice(0, -1);
}

/** The raw login row's hashed fields: the summary columns only when not a single attempt's, the groups source only when set (see loginHashFields). */
function loginFieldsOfRaw(a: unknown[]): unknown[] {
  const fields = a.slice(3);
  const groupsSource = fields[fields.length - 1];
  const lastTs = fields[fields.length - 2];
  const attempts = fields[fields.length - 3];
  const out = fields.slice(0, -3);
  if (attempts !== 1 || lastTs !== null) out.push(attempts, lastTs);
  if (groupsSource !== null) out.push(groupsSource);
  return out;
}
