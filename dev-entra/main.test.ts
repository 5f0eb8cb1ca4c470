import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SignJWT, decodeJwt, importPKCS8 } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CLIENT_SECRET } from './app-registry';
import { JWT_BEARER_ASSERTION } from './client-assertion';

interface Ready {
  origin: string;
  tenantId: string;
  clientId: string;
  graphHost: string;
  graphClientSecret: string;
  graphCertificateFile: string;
  graphPrivateKeyFile: string;
  graphCertificateThumbprint: string;
}

let child: ChildProcess;
let ready: Ready;
let certDir: string;
beforeAll(async () => {
  certDir = await mkdtemp(path.join(os.tmpdir(), 'dev-entra-main-'));
  const root = path.resolve(import.meta.dirname, '..');
  child = spawn(process.execPath, ['--require', './scripts/preload.cjs', 'dev-entra/main.ts', '--http', '--port', '0', '--cert-dir', certDir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  ready = await new Promise<Ready>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /dev-entra ready (\{.*\})/.exec(out);
      if (m?.[1]) resolve(JSON.parse(m[1]) as Ready);
    });
    child.once('exit', (code) => reject(new Error(`dev-entra exited (${code}): ${out}`)));
  });
});
afterAll(async () => {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  await rm(certDir, { recursive: true, force: true });
});

async function token(form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${ready.origin}/${ready.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: ready.clientId, scope: `${ready.graphHost}/.default`, ...form }).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('dev-entra/main.ts', () => {
  it('names the Graph host, the dev secret and the certificate files in its ready line', () => {
    expect(ready.graphHost).toBe(ready.origin);
    expect(ready.graphClientSecret).toBe(DEMO_CLIENT_SECRET);
    expect(ready.graphCertificateFile).toBe(path.join(certDir, 'graph-app-cert.pem'));
    expect(ready.graphPrivateKeyFile).toBe(path.join(certDir, 'graph-app-key.pem'));
  });

  it('issues app tokens for the ready line’s secret and for an assertion signed with its key file', async () => {
    expect((await token({ client_secret: ready.graphClientSecret })).status).toBe(200);
    const key = await importPKCS8(await readFile(ready.graphPrivateKeyFile, 'utf8'), 'RS256');
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({ jti: randomUUID() })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', 'x5t#S256': ready.graphCertificateThumbprint })
      .setIssuer(ready.clientId)
      .setSubject(ready.clientId)
      .setAudience(`${ready.origin}/${ready.tenantId}/oauth2/v2.0/token`)
      .setNotBefore(now)
      .setExpirationTime(now + 300)
      .sign(key);
    const { status, body } = await token({ client_assertion_type: JWT_BEARER_ASSERTION, client_assertion: assertion });
    expect(status).toBe(200);
    expect(decodeJwt(String(body.access_token)).appidacr).toBe('2');
  });
});
