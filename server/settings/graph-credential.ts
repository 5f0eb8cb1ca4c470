import 'server-only';
import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { dbState, type Db } from '@/db/client';
import { graphCredentials } from '@/db/schema';
import { writeTransaction } from '@/db/transaction';
import { recordChange, type Actor } from '@/server/audit/changes';
import type { GraphCredentialKey } from '@/shared/settings/fields';
import { graphCredentialStatusSchema, type GraphCredentialStatus } from '@/shared/settings/graph-credential';
import { GraphCredentialUnreadableError, SettingsValidationError } from './errors';
import { graphKey, seal, unseal } from './graph-key';

/*
 * The write-only Microsoft Graph credential (docs/security.md, "Microsoft Graph credential"):
 * a client secret or a certificate, sealed at rest, never returned, never logged. Its status
 * (set or not, when, by whom; a certificate's thumbprint and expiry) is public to auditors.
 * When both are set the certificate wins: Microsoft recommends it, and an admin who adds one
 * means to move off the secret (clearing the secret afterwards finishes the move).
 */

export type { GraphCredentialStatus } from '@/shared/settings/graph-credential';

type Kind = 'client_secret' | 'certificate';
const KEY_OF: Record<Kind, GraphCredentialKey> = { client_secret: 'graphClientSecret', certificate: 'graphCertificate' };

/** The credential the Graph client uses; `id` changes whenever it is set again (token caches key on it). */
export type GraphCredential =
  | { kind: 'client_secret'; id: string; secret: string }
  | { kind: 'certificate'; id: string; privateKey: crypto.KeyObject; thumbprintSha256: string; thumbprintSha1: string };

const secretSchema = z
  .string()
  .max(1024, 'must be at most 1024 characters')
  .transform((v) => v.trim())
  .pipe(
    z
      .string()
      .min(1, 'must not be empty (to remove it, clear it)')
      .regex(/^[\x21-\x7e]+$/, 'must be the secret value as Entra shows it (printable characters, no spaces)'),
  );

/** A PEM private key (RSA) and its certificate, in one text or two. */
export const certificateInputSchema = z.object({
  privateKeyPem: z.string().max(32_768),
  certificatePem: z.string().max(32_768),
});
export type CertificateInput = z.infer<typeof certificateInputSchema>;

/** Splits one PEM bundle (as `openssl req -x509 -nodes -keyout k -out c; cat k c` writes it) into key and certificate. */
export function splitPemBundle(text: string): CertificateInput {
  const key = /-----BEGIN (?:RSA )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA )?PRIVATE KEY-----/.exec(text)?.[0] ?? '';
  const cert = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(text)?.[0] ?? '';
  return { privateKeyPem: key, certificatePem: cert };
}

/** Whether each credential is set, and which one the Graph client uses. Never the values. */
export function graphCredentialStatus(db: Db): GraphCredentialStatus {
  const rows = db.select().from(graphCredentials).all();
  const secret = rows.find((r) => r.kind === 'client_secret');
  const cert = rows.find((r) => r.kind === 'certificate');
  return graphCredentialStatusSchema.parse({
    active: cert ? 'certificate' : secret ? 'client_secret' : null,
    clientSecret: secret ? { set: true, setAt: secret.setAt, setBy: secret.setBy } : { set: false, setAt: null, setBy: null },
    certificate: cert
      ? { set: true, setAt: cert.setAt, setBy: cert.setBy, thumbprint: cert.thumbprint, expiresAt: cert.expiresAt, subject: cert.subject }
      : { set: false, setAt: null, setBy: null, thumbprint: null, expiresAt: null, subject: null },
  });
}

/** Sets or replaces the client secret. Throws {@link SettingsValidationError} for an empty or odd value. */
export function setGraphClientSecret(db: Db, value: unknown, actor: Actor, now = Date.now()): GraphCredentialStatus {
  const parsed = secretSchema.safeParse(value);
  if (!parsed.success) throw new SettingsValidationError([{ field: 'graphClientSecret', message: parsed.error.issues[0]!.message }]);
  store(db, 'client_secret', parsed.data, {}, actor, now);
  return graphCredentialStatus(db);
}

/** Sets or replaces the certificate credential: an RSA private key and the certificate of its public key. */
export function setGraphCertificate(db: Db, input: unknown, actor: Actor, now = Date.now()): GraphCredentialStatus {
  const fail = (message: string) => new SettingsValidationError([{ field: 'graphCertificate', message }]);
  const parsed = certificateInputSchema.safeParse(input);
  if (!parsed.success) throw fail('needs a PEM private key and a PEM certificate');
  let key: crypto.KeyObject;
  let cert: crypto.X509Certificate;
  try {
    key = crypto.createPrivateKey(parsed.data.privateKeyPem);
  } catch {
    throw fail('the private key is not an unencrypted PEM private key');
  }
  try {
    cert = new crypto.X509Certificate(parsed.data.certificatePem);
  } catch {
    throw fail('the certificate is not a PEM certificate');
  }
  if (key.asymmetricKeyType !== 'rsa') throw fail('the private key must be RSA (Entra ID signs client assertions with RS256 or PS256 keys)');
  if (!cert.checkPrivateKey(key)) throw fail('the private key does not belong to the certificate');
  const expiresAt = Date.parse(cert.validTo);
  if (!(expiresAt > now)) throw fail(`the certificate expired on ${cert.validTo}`);
  const plain = JSON.stringify({ privateKeyPem: key.export({ type: 'pkcs8', format: 'pem' }), certificatePem: cert.toString() });
  const thumbprint = cert.fingerprint256.replaceAll(':', '');
  store(db, 'certificate', plain, { thumbprint, expiresAt, subject: cert.subject.replaceAll('\n', ', ').slice(0, 300) }, actor, now);
  return graphCredentialStatus(db);
}

/** Clears one credential; a no-op (no change-log row) when it was not set. */
export function clearGraphCredential(db: Db, which: GraphCredentialKey, actor: Actor, now = Date.now()): GraphCredentialStatus {
  const kind: Kind = which === 'graphClientSecret' ? 'client_secret' : 'certificate';
  writeTransaction(db, () => {
    const existing = db.select().from(graphCredentials).where(eq(graphCredentials.kind, kind)).get();
    if (!existing) return;
    db.delete(graphCredentials).where(eq(graphCredentials.kind, kind)).run();
    recordChange(
      db,
      actor,
      { action: 'settings.graph_credential_clear', targetType: 'settings', targetId: which, before: describe(kind, existing), after: { [which]: 'not set' } },
      now,
    );
  });
  return graphCredentialStatus(db);
}

function store(db: Db, kind: Kind, plain: string, facts: { thumbprint?: string; expiresAt?: number; subject?: string }, actor: Actor, now: number): void {
  const key = graphKey(db, true)!;
  const sealed = seal(key, kind, plain);
  writeTransaction(db, () => {
    const existing = db.select().from(graphCredentials).where(eq(graphCredentials.kind, kind)).get();
    const row = {
      kind,
      sealed,
      thumbprint: facts.thumbprint ?? null,
      expiresAt: facts.expiresAt ?? null,
      subject: facts.subject ?? null,
      setAt: now,
      setBy: actor.name.slice(0, 200),
    };
    db.insert(graphCredentials).values(row).onConflictDoUpdate({ target: graphCredentials.kind, set: row }).run();
    recordChange(
      db,
      actor,
      {
        action: existing ? 'settings.graph_credential_replace' : 'settings.graph_credential_set',
        targetType: 'settings',
        targetId: KEY_OF[kind],
        before: existing ? describe(kind, existing) : { [KEY_OF[kind]]: 'not set' },
        after: describe(kind, row),
      },
      now,
    );
  });
}

/** What the change log says about a credential: set, and for a certificate its public facts; never the value. */
function describe(kind: Kind, row: { thumbprint: string | null; expiresAt: number | null; setAt: number }): Record<string, unknown> {
  const name = KEY_OF[kind];
  if (kind === 'client_secret') return { [name]: 'set', setAt: new Date(row.setAt).toISOString() };
  return { [name]: 'set', thumbprint: row.thumbprint, expiresAt: row.expiresAt === null ? null : new Date(row.expiresAt).toISOString() };
}

interface OpenCache {
  byId: Map<string, GraphCredential>;
}

/**
 * The credential the Graph client uses (the certificate when both are set), opened with the key
 * file; null when none is set. Throws {@link GraphCredentialUnreadableError} when it cannot be opened.
 */
export function activeGraphCredential(db: Db): GraphCredential | null {
  const rows = db.select().from(graphCredentials).all();
  const row = rows.find((r) => r.kind === 'certificate') ?? rows.find((r) => r.kind === 'client_secret');
  if (!row) return null;
  const id = `${row.kind}:${row.setAt}:${crypto.createHash('sha256').update(row.sealed).digest('base64url').slice(0, 16)}`;
  const cache = dbState<OpenCache>(db, 'graph-credential', () => ({ byId: new Map() }));
  const cached = cache.byId.get(id);
  if (cached) return cached;
  const key = graphKey(db, false);
  if (!key) throw new GraphCredentialUnreadableError('the key file is missing (restore it with the database backup)');
  const plain = unseal(key, row.kind, row.sealed);
  let credential: GraphCredential;
  if (row.kind === 'client_secret') credential = { kind: 'client_secret', id, secret: plain };
  else {
    const parsed = JSON.parse(plain) as CertificateInput;
    const cert = new crypto.X509Certificate(parsed.certificatePem);
    credential = {
      kind: 'certificate',
      id,
      privateKey: crypto.createPrivateKey(parsed.privateKeyPem),
      thumbprintSha256: Buffer.from(cert.fingerprint256.replaceAll(':', ''), 'hex').toString('base64url'),
      thumbprintSha1: Buffer.from(cert.fingerprint.replaceAll(':', ''), 'hex').toString('base64url'),
    };
  }
  cache.byId.clear();
  cache.byId.set(id, credential);
  return credential;
}
