import 'server-only';
import path from 'node:path';
import { databaseFolder, dbState, type Db } from '@/db/client';
import { getEnv } from '@/config/env';
import { loadKeyFile } from '@/server/lib/key-file';

/**
 * The audit chain key: 32 random bytes in a file beside the database (or AUDIT_KEY_FILE),
 * created on first use with mode 0600. Kept outside the database so that whoever can edit
 * the database file cannot recompute the chain.
 */
export function auditKey(db: Db): Buffer {
  return dbState(db, 'audit-key', () => loadKeyFile(auditKeyPath(db), true, (message) => new Error(`audit key: ${message}`))!);
}

export function auditKeyPath(db: Db): string {
  const configured = getEnv().AUDIT_KEY_FILE;
  if (configured) return path.resolve(configured);
  return path.join(databaseFolder(db), 'audit.key');
}
