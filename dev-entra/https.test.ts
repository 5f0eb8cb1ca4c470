import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { promisify } from 'node:util';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TENANT_ID } from './ids';
import { startEntraEmulator } from './server';
import type { EntraEmulator } from './server';

let entra: EntraEmulator;
let certDir: string;
beforeAll(async () => {
  certDir = await mkdtemp(path.join(os.tmpdir(), 'dev-entra-test-'));
  entra = await startEntraEmulator({ https: true, certDir });
});
afterAll(async () => {
  await entra.stop();
  await rm(certDir, { recursive: true, force: true });
});

function get(url: string, ca?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTPS mode', () => {
  it('serves https://localhost with a generated certificate that clients can trust as a CA', async () => {
    expect(entra.origin).toMatch(/^https:\/\/localhost:\d+$/);
    expect(entra.certFile).toBe(path.join(certDir, 'cert.pem'));
    const ca = await readFile(entra.certFile ?? '', 'utf8');
    const { status, body } = await get(`${entra.origin}/${DEMO_TENANT_ID}/v2.0/.well-known/openid-configuration`, ca);
    expect(status).toBe(200);
    expect(JSON.parse(body).issuer).toBe(`https://localhost:${new URL(entra.origin).port}/${DEMO_TENANT_ID}/v2.0`);
    const byIp = await get(`https://127.0.0.1:${new URL(entra.origin).port}/common/discovery/keys`, ca);
    expect(byIp.status).toBe(200);
  });

  it('is trusted by a Node process started with NODE_EXTRA_CA_CERTS, as the ice-sso server is', async () => {
    const script = `fetch(${JSON.stringify(`${entra.origin}/${DEMO_TENANT_ID}/discovery/v2.0/keys`)}).then((r) => console.log(r.status))`;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { env: { ...process.env, NODE_EXTRA_CA_CERTS: entra.certFile } });
    expect(stdout.trim()).toBe('200');
  });

  it('is refused by a client that does not trust the certificate', async () => {
    await expect(get(`${entra.origin}/common/discovery/keys`)).rejects.toThrow(/self[- ]signed/i);
  });

  it('reuses a still-valid certificate on the next start, so that trusting processes keep working', async () => {
    const before = await stat(path.join(certDir, 'cert.pem'));
    const second = await startEntraEmulator({ https: true, certDir });
    try {
      expect((await stat(path.join(certDir, 'cert.pem'))).mtimeMs).toBe(before.mtimeMs);
    } finally {
      await second.stop();
    }
  });
});
