import 'server-only';
import crypto from 'node:crypto';

/** A 256-bit random opaque token, base64url. */
export function randomToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** What is stored instead of an opaque token: its SHA-256, hex. */
export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}
