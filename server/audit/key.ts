import 'server-only';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { dbState, type Db } from '@/db/client';
import { getEnv } from '@/config/env';

/**
 * The audit chain key: 32 random bytes in a file beside the database (or AUDIT_KEY_FILE),
 * created on first use with mode 0600. Kept outside the database so that whoever can edit
 * the database file cannot recompute the chain.
 */
export function auditKey(db: Db): Buffer {
  return dbState(db, 'audit-key', () => loadOrCreateKey(auditKeyPath(db)));
}

export function auditKeyPath(db: Db): string {
  const configured = getEnv().AUDIT_KEY_FILE;
  if (configured) return path.resolve(configured);
  return path.join(path.dirname(db.$client.name), 'audit.key');
}

function loadOrCreateKey(file: string): Buffer {
  try {
    return decode(fs.readFileSync(file, 'utf8'), file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    fs.writeFileSync(file, crypto.randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // another process created it first: use theirs
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return decode(fs.readFileSync(file, 'utf8'), file);
}

function decode(text: string, file: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length < 32) throw new Error(`audit key file ${file} is damaged (expected 32 base64 bytes)`);
  return key;
}
