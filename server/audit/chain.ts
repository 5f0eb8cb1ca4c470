import 'server-only';
import crypto from 'node:crypto';

/** Start of a chain that has no rows and no checkpoint yet. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Hash of one audit row, chained to the previous row's hash: HMAC-SHA256 over the previous
 * hash and the row's fields in a fixed order. Changing, removing or reordering any row
 * breaks every later link.
 */
export function chainHash(key: Buffer, prevHash: string, fields: readonly unknown[]): string {
  return crypto.createHmac('sha256', key).update(prevHash).update('\n').update(JSON.stringify(fields)).digest('hex');
}
