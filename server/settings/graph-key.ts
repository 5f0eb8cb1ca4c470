import 'server-only';
import crypto from 'node:crypto';
import path from 'node:path';
import { databaseFolder, dbState, type Db } from '@/db/client';
import { getEnv } from '@/config/env';
import { loadKeyFile } from '@/server/lib/key-file';
import { GraphCredentialUnreadableError } from './errors';

/**
 * The key that seals the Microsoft Graph credential at rest: 32 random bytes in `graph.key`
 * beside the database (or GRAPH_KEY_FILE), created on first use with mode 0600, like the audit
 * key. Kept outside the database so that a copy of the database alone does not reveal the
 * secret; it travels with backups of the database (docs/security.md).
 */
export function graphKeyPath(db: Db): string {
  const configured = getEnv().GRAPH_KEY_FILE;
  if (configured) return path.resolve(configured);
  return path.join(databaseFolder(db), 'graph.key');
}

/** The key, created when `create` and missing; null when missing and not to be created (nothing sealed yet needs it). */
export function graphKey(db: Db, create: boolean): Buffer | null {
  const state = dbState<{ key: Buffer | null }>(db, 'graph-key', () => ({ key: null }));
  if (!state.key) state.key = loadKeyFile(graphKeyPath(db), create, (message) => new GraphCredentialUnreadableError(message));
  return state.key;
}

const VERSION = 'v1';

/** AES-256-GCM with a fresh 96-bit IV; `label` (the credential kind) is bound as associated data, so rows cannot be swapped. */
export function seal(key: Buffer, label: string, plain: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(label));
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
}

/** Opens what {@link seal} wrote; throws {@link GraphCredentialUnreadableError} for another key, another label or an edit. */
export function unseal(key: Buffer, label: string, sealed: string): string {
  const [version, iv, tag, ct] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || ct === undefined) throw new GraphCredentialUnreadableError('the stored credential is not in a known format');
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(label));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new GraphCredentialUnreadableError('the stored credential does not open with the key file (restored without its key file, or a different one)');
  }
}
