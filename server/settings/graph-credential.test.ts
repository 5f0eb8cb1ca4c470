import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '@/db/client';
import { changeEvents, graphCredentials, settingsVersions } from '@/db/schema';
import { tempDbFile, tempDir } from '@/test/support/tmp';
import { GraphCredentialUnreadableError, SettingsValidationError } from './errors';
import {
  activeGraphCredential,
  clearGraphCredential,
  graphCredentialStatus,
  setGraphCertificate,
  setGraphClientSecret,
  splitPemBundle,
} from './graph-credential';
import { graphKeyPath } from './graph-key';
import { getSettings, updateSettings } from './service';
import { onPostgres } from '@/test/support/test-database';

const SECRET = 'Abc8Q~unit-test-secret-value-0123456789xy';
const admin = { kind: 'local' as const, name: 'admin' };

function certificate(days = 30): { key: string; cert: string } {
  const dir = tempDir();
  const key = path.join(dir, 'k.pem');
  const cert = path.join(dir, 'c.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', String(days), '-subj', '/CN=ice-sso-graph'],
    { stdio: 'ignore' },
  );
  return { key: fs.readFileSync(key, 'utf8'), cert: fs.readFileSync(cert, 'utf8') };
}

describe('the Microsoft Graph credential store', () => {
  it('keeps the secret sealed: not in the table, the settings versions, the change log or the status, and the key file is 0600 beside the database', () => {
    const file = tempDbFile();
    const db = openDb(file);
    updateSettings(db, { domainHint: 'contoso.com' }, admin);
    const status = setGraphClientSecret(db, SECRET, admin);
    expect(status).toMatchObject({ active: 'client_secret', clientSecret: { set: true, setBy: 'admin' }, certificate: { set: false } });
    const everything = JSON.stringify([
      db.select().from(graphCredentials).all(),
      db.select().from(settingsVersions).all(),
      db.select().from(changeEvents).all(),
      status,
      getSettings(db),
    ]);
    expect(everything).not.toContain(SECRET);
    // the SQLite file itself; and its key beside it (on PostgreSQL the key is GRAPH_KEY_FILE's)
    if (!onPostgres) expect(fs.readFileSync(file).includes(Buffer.from(SECRET))).toBe(false);
    const keyFile = graphKeyPath(db);
    if (!onPostgres) expect(keyFile).toBe(path.join(path.dirname(file), 'graph.key'));
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(activeGraphCredential(db)).toMatchObject({ kind: 'client_secret', secret: SECRET });
  });

  it('writes a change-log row for set, replace and clear that says what happened without the value', () => {
    const db = openDb(tempDbFile());
    setGraphClientSecret(db, SECRET, admin, 1_000);
    setGraphClientSecret(db, `${SECRET}2`, admin, 2_000);
    clearGraphCredential(db, 'graphClientSecret', admin, 3_000);
    clearGraphCredential(db, 'graphClientSecret', admin, 4_000);
    const rows = db.select().from(changeEvents).all();
    expect(rows.map((r) => [r.action, r.targetId, JSON.parse(r.before!), JSON.parse(r.after!)])).toEqual([
      [
        'settings.graph_credential_set',
        'graphClientSecret',
        { graphClientSecret: 'not set' },
        { graphClientSecret: 'set', setAt: new Date(1_000).toISOString() },
      ],
      [
        'settings.graph_credential_replace',
        'graphClientSecret',
        { graphClientSecret: 'set', setAt: new Date(1_000).toISOString() },
        { graphClientSecret: 'set', setAt: new Date(2_000).toISOString() },
      ],
      [
        'settings.graph_credential_clear',
        'graphClientSecret',
        { graphClientSecret: 'set', setAt: new Date(2_000).toISOString() },
        { graphClientSecret: 'not set' },
      ],
    ]);
    expect(JSON.stringify(rows)).not.toContain(SECRET);
    expect(graphCredentialStatus(db)).toMatchObject({ active: null, clientSecret: { set: false, setAt: null } });
    expect(activeGraphCredential(db)).toBeNull();
  });

  it.each([[''], ['   '], ['has a space'], ['x'.repeat(1025)]])('refuses the secret %j and stores nothing', (value) => {
    const db = openDb(tempDbFile());
    expect(() => setGraphClientSecret(db, value, admin)).toThrow(SettingsValidationError);
    expect(graphCredentialStatus(db).clientSecret.set).toBe(false);
  });

  it('refuses to open the credential with another key file (a backup restored without its key)', () => {
    const file = tempDbFile();
    const db = openDb(file);
    setGraphClientSecret(db, SECRET, admin);
    db.$client.close();
    const keyFile = graphKeyPath(db);
    fs.writeFileSync(keyFile, Buffer.alloc(32, 7).toString('base64'));
    const reopened = openDb(file);
    expect(() => activeGraphCredential(reopened)).toThrow(GraphCredentialUnreadableError);
    fs.rmSync(keyFile);
    const again = openDb(file);
    expect(() => activeGraphCredential(again)).toThrow(/key file is missing/);
  });

  it('stores a certificate with its SHA-256 thumbprint and expiry, prefers it over the secret, and keeps the private key sealed', () => {
    const db = openDb(tempDbFile());
    const { key, cert } = certificate(30);
    setGraphClientSecret(db, SECRET, admin);
    const status = setGraphCertificate(db, splitPemBundle(`${key}\n${cert}`), admin);
    expect(status.active).toBe('certificate');
    expect(status.certificate.thumbprint).toMatch(/^[0-9A-F]{64}$/);
    expect(status.certificate.expiresAt! - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(status.certificate.subject).toContain('ice-sso-graph');
    const keyBody = key.split('\n')[1]!;
    expect(JSON.stringify([db.select().from(graphCredentials).all(), db.select().from(changeEvents).all()])).not.toContain(keyBody);
    expect(activeGraphCredential(db)).toMatchObject({ kind: 'certificate' });
    clearGraphCredential(db, 'graphCertificate', admin);
    expect(activeGraphCredential(db)).toMatchObject({ kind: 'client_secret' });
  });

  it('refuses a private key that is not the certificate’s', () => {
    const db = openDb(tempDbFile());
    const a = certificate();
    const b = certificate();
    expect(() => setGraphCertificate(db, { privateKeyPem: a.key, certificatePem: b.cert }, admin)).toThrow(/does not belong to the certificate/);
    expect(() => setGraphCertificate(db, { privateKeyPem: 'nope', certificatePem: b.cert }, admin)).toThrow(/not an unencrypted PEM private key/);
    expect(graphCredentialStatus(db).certificate.set).toBe(false);
  });
});
