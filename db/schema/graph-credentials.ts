import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The write-only Microsoft Graph credentials, at most one row per kind: the client secret, or
 * the certificate (PEM private key and certificate). `sealed` is AES-256-GCM ciphertext under
 * the key file of server/settings/graph-credential.ts (never the plain value); the thumbprint and
 * expiry of a certificate are public facts, kept in clear so the console can show them.
 */
export const graphCredentials = sqliteTable('graph_credentials', {
  kind: text('kind', { enum: ['client_secret', 'certificate'] }).primaryKey(),
  /** `v1.<iv>.<tag>.<ciphertext>`, base64url parts. */
  sealed: text('sealed').notNull(),
  /** Certificate only: SHA-256 thumbprint of the DER certificate, hex upper-case. */
  thumbprint: text('thumbprint'),
  /** Certificate only: notAfter, epoch ms. */
  expiresAt: integer('expires_at'),
  /** Certificate only: its subject, for people. */
  subject: text('subject'),
  setAt: integer('set_at').notNull(),
  setBy: text('set_by').notNull(),
});
