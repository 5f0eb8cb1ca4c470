import 'server-only';
import { getTableColumns } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { prepared } from '@/db/statements';
import { loginEvents } from '@/db/schema';
import { auditKey } from './key';
import { chainHash, GENESIS_HASH } from './chain';
import { latestCheckpoint } from './checkpoints';
import { primarySignInMethod } from '@/shared/sign-in-methods';

export interface LoginAttempt {
  outcome: 'accepted' | 'refused';
  /** Reason code of docs/contract.md; null when accepted. */
  reason: string | null;
  status: number;
  tenantId?: string | null;
  objectId?: string | null;
  userId?: string | null;
  username?: string | null;
  displayName?: string | null;
  clientAppId?: string | null;
  tokenVersion?: string | null;
  amr?: readonly string[] | null;
  uti?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  /** How the groups of this sign-in were decided (Microsoft Graph resolves overage); null when groups did not matter. */
  groupsSource?: 'token' | 'graph' | 'unresolved' | null;
  /** A summary row: how many attempts it stands for (default 1). */
  attempts?: number;
  /** A summary row: time of its last attempt (`ts`, the `now` argument, is the first). */
  lastTs?: number | null;
}

export type LoginEventRow = typeof loginEvents.$inferSelect;

/**
 * The fields covered by the chain hash, in their fixed order. `attempts` and `lastTs` (added
 * with summary rows) are appended only when they differ from a single attempt's values
 * (1, null): rows chained before they existed keep their hash, and any edit of either on any
 * row still changes what is hashed (the two shapes differ in length).
 */
export function loginHashFields(
  row: Omit<LoginEventRow, 'id' | 'prevHash' | 'hash' | 'groupsSource'> & { groupsSource?: LoginEventRow['groupsSource'] },
): unknown[] {
  const fields: unknown[] = [
    row.ts,
    row.outcome,
    row.reason,
    row.status,
    row.tenantId,
    row.objectId,
    row.userId,
    row.username,
    row.displayName,
    row.clientAppId,
    row.tokenVersion,
    row.amr,
    row.signInMethod,
    row.uti,
    row.ip,
    row.userAgent,
  ];
  if (row.attempts !== 1 || row.lastTs !== null) fields.push(row.attempts, row.lastTs);
  // added with Microsoft Graph: appended when set, so older rows keep their hash (16, 17, 18 or 19 fields: never ambiguous)
  if (row.groupsSource != null) fields.push(row.groupsSource);
  return fields;
}

const clip = (v: string | null | undefined, max: number) => (v == null ? null : v.length > max ? v.slice(0, max) : v);

/**
 * Appends one login attempt to the login history, chained to the previous event. Call it
 * inside a write transaction (see db/transaction.ts). Never pass the token.
 */
export function recordLoginEvent(db: Db, attempt: LoginAttempt, now = Date.now()): void {
  const row = {
    ts: now,
    outcome: attempt.outcome,
    reason: attempt.reason,
    status: attempt.status,
    tenantId: clip(attempt.tenantId, 64),
    objectId: clip(attempt.objectId, 64),
    userId: attempt.userId ?? null,
    username: clip(attempt.username, 256),
    displayName: clip(attempt.displayName, 256),
    clientAppId: clip(attempt.clientAppId, 64),
    tokenVersion: clip(attempt.tokenVersion, 8),
    amr: attempt.amr && attempt.amr.length ? JSON.stringify(attempt.amr.slice(0, 16)) : null,
    signInMethod: primarySignInMethod(attempt.amr),
    uti: clip(attempt.uti, 128),
    ip: clip(attempt.ip, 64),
    userAgent: clip(attempt.userAgent, 512),
    attempts: attempt.attempts ?? 1,
    lastTs: attempt.lastTs ?? null,
    groupsSource: attempt.groupsSource ?? null,
  };
  const prevHash = lastLoginHash(db);
  const hash = chainHash(auditKey(db), prevHash, loginHashFields(row));
  // no spread into a new object: that one costs 4 µs a login, the walk over the columns 0.3
  const values: unknown[] = ROW_COLUMNS.map(([key]) => row[key] ?? null);
  values.push(prevHash, hash);
  statements(db).insert.run(values);
}

type RowKey = keyof Omit<LoginEventRow, 'id' | 'prevHash' | 'hash'>;

/**
 * The history row's columns in the schema's order, from the schema (all but the identity and
 * the two hashes, which come last): the insert's SQL and its values are both built from it.
 */
const ROW_COLUMNS = Object.entries(getTableColumns(loginEvents))
  .filter(([key]) => key !== 'id' && key !== 'prevHash' && key !== 'hash')
  .map(([key, column]) => [key as RowKey, column.name] as const);

const statements = (db: Db) =>
  prepared(db, 'login-events', () => ({
    // a literal LIMIT 1 (drizzle binds `.limit(1)` as a parameter): read inside the login's transaction it cost 27 µs against 2.5 µs
    last: db.$client.prepare<[], { hash: string }>('SELECT hash FROM login_events ORDER BY id DESC LIMIT 1'),
    // hand-prepared, positional: the login's path (server/directory/users.ts says why); the same SQL on PostgreSQL
    insert: db.$client.prepare(
      `INSERT INTO login_events (${ROW_COLUMNS.map(([, name]) => name).join(', ')}, prev_hash, hash) VALUES (${ROW_COLUMNS.map(() => '?').join(', ')}, ?, ?)`,
    ),
  }));

function lastLoginHash(db: Db): string {
  const last = statements(db).last.get();
  if (last) return last.hash;
  // no rows: the chain goes on from the head of the last retention purge, if any
  return latestCheckpoint(db, 'login')?.headHash ?? GENESIS_HASH;
}
