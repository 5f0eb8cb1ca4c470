import { execFile } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { certificateCredential } from './app-registry';
import type { CertificateCredential } from './app-registry';

const run = promisify(execFile);

/** File names of the certificate the emulator registers on the ICE Server app at start. */
export const APP_CERT_FILE = 'graph-app-cert.pem';
export const APP_KEY_FILE = 'graph-app-key.pem';

/** A certificate that still has a day to live is reused, so that a configured ice-sso keeps working across restarts. */
const MIN_REMAINING_MS = 24 * 3600_000;

async function reusable(certFile: string, keyFile: string): Promise<CertificateCredential | undefined> {
  try {
    const [cert, key] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
    const x509 = new X509Certificate(cert);
    const fresh = Date.parse(x509.validTo) - Date.now() > MIN_REMAINING_MS;
    return fresh && x509.checkPrivateKey(createPrivateKey(key)) ? certificateCredential(cert, { certFile, keyFile }) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A self-signed RSA certificate and its private key (PKCS#8 PEM) in `dir`, for the ICE Server
 * app's `private_key_jwt` client credential, as an admin would upload to the app registration.
 * Made with `openssl` (node cannot issue certificates); reused while valid.
 */
export async function ensureAppCertificate(dir: string, certName = APP_CERT_FILE, keyName = APP_KEY_FILE): Promise<CertificateCredential> {
  await mkdir(dir, { recursive: true });
  const certFile = path.join(dir, certName);
  const keyFile = path.join(dir, keyName);
  const existing = await reusable(certFile, keyFile);
  if (existing) return existing;
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-sha256',
    '-days',
    '365',
    '-keyout',
    keyFile,
    '-out',
    certFile,
    '-subj',
    '/CN=ICE Server Graph client (dev-entra)',
  ]);
  const made = await reusable(certFile, keyFile);
  if (!made) throw new Error(`openssl did not produce a usable certificate in ${dir}`);
  return made;
}
