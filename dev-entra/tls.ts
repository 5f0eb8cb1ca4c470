import { execFile } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: string;
  readonly key: string;
}

/** A certificate that still has a day to live is reused, so that processes trusting it keep doing so. */
const MIN_REMAINING_MS = 24 * 3600_000;

async function reusable(certFile: string, keyFile: string): Promise<TlsFiles | undefined> {
  try {
    const [cert, key] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
    const x509 = new X509Certificate(cert);
    const fresh = Date.parse(x509.validTo) - Date.now() > MIN_REMAINING_MS;
    const names = x509.subjectAltName ?? '';
    const covers = names.includes('DNS:localhost') && names.includes('IP Address:127.0.0.1');
    return fresh && covers && x509.checkPrivateKey(createPrivateKey(key)) ? { certFile, keyFile, cert, key } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The emulator's HTTPS certificate in `dir` (cert.pem, key.pem): self-signed, for localhost
 * and 127.0.0.1, made with the `openssl` command (node cannot issue certificates). MSAL
 * refuses non-HTTPS authorities, so browsers need this; Node processes trust it through
 * NODE_EXTRA_CA_CERTS, Playwright through ignoreHTTPSErrors.
 */
export async function ensureCertificate(dir: string): Promise<TlsFiles> {
  await mkdir(dir, { recursive: true });
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
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
    '30',
    '-keyout',
    keyFile,
    '-out',
    certFile,
    '-subj',
    '/CN=localhost/O=dev-entra',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign',
    '-addext',
    'extendedKeyUsage=serverAuth',
  ]);
  const made = await reusable(certFile, keyFile);
  if (!made) throw new Error(`openssl did not produce a usable certificate in ${dir}`);
  return made;
}
