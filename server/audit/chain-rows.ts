import 'server-only';
import type { Db } from '@/db/client';
import { changeHashFields } from './changes';
import type { AuditStream } from './checkpoints';
import { loginHashFields } from './logins';
import { statement } from './sql';

/** A row as the chain sees it: its ID, timestamp, hashed fields, and stored hashes. */
export interface ChainRow {
  id: number;
  ts: number;
  prevHash: string;
  hash: string;
  fields: unknown[];
}

const SELECT: Record<AuditStream, string> = {
  login:
    'SELECT id, ts, outcome, reason, status, tenant_id AS tenantId, object_id AS objectId, user_id AS userId, username, ' +
    'display_name AS displayName, client_app_id AS clientAppId, token_version AS tokenVersion, amr, sign_in_method AS signInMethod, ' +
    'uti, ip, user_agent AS userAgent, prev_hash AS prevHash, hash FROM login_events WHERE id > ? ORDER BY id LIMIT ?',
  change:
    'SELECT id, ts, actor, actor_kind AS actorKind, action, target_type AS targetType, target_id AS targetId, before, after, ' +
    'comment, ip, prev_hash AS prevHash, hash FROM change_events WHERE id > ? ORDER BY id LIMIT ?',
};

/** The next `limit` rows of a chain after `afterId`, in ID (chain) order, with the fields the hash covers. */
export function chainRowsAfter(db: Db, stream: AuditStream, afterId: number, limit: number): ChainRow[] {
  const rows = statement(db, SELECT[stream]).all(afterId, limit) as Array<Record<string, unknown> & { id: number; ts: number; prevHash: string; hash: string }>;
  const fieldsOf = stream === 'login' ? loginHashFields : changeHashFields;
  // the SELECT above names, in camelCase, exactly the columns each *HashFields function reads
  return rows.map((r) => ({ id: r.id, ts: r.ts, prevHash: r.prevHash, hash: r.hash, fields: fieldsOf(r as never) }));
}
