import { spawn } from 'node:child_process';
import https from 'node:https';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, ROOT } from '@/test/support/processes';
import { tempDir } from '@/test/support/tmp';

/** POST to the demo's emulator (HTTPS, self-signed): its loopback control API mints tokens for the demo users. */
function mint(origin: string, body: unknown): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${origin}/_dev/tokens`,
      { method: 'POST', rejectUnauthorized: false, headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => (res.statusCode === 200 ? resolve((JSON.parse(text) as { token: string }).token) : reject(new Error(`${res.statusCode} ${text}`))));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('npm run demo with Microsoft Graph', () => {
  let stop: () => void = () => undefined;
  afterAll(() => stop());

  it(
    'configures the emulator’s Graph host and development secret, so Olivia (241 groups, overage) signs in with all her groups',
    { timeout: 150_000 },
    async () => {
      const [port, entraPort] = [await freePort(), await freePort()];
      const databaseUrl = `file:${path.join(tempDir(), 'demo.db')}`;
      const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'demo.mjs')], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), DEMO_ENTRA_PORT: String(entraPort), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      stop = () => {
        if (child.exitCode === null) process.kill(-child.pid!, 'SIGTERM');
      };
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      const origin = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 120_000;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`the demo exited with ${child.exitCode}:\n${out}`);
        const up = await fetch(`${origin}/sso-meta`).then(
          (r) => r.status === 200,
          () => false,
        );
        if (up) break;
        if (Date.now() > deadline) throw new Error(`the demo did not start:\n${out}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(out).toContain('graphClientSecret set (stored encrypted');
      const token = await mint(`https://localhost:${entraPort}`, { kind: 'access', user: 'overage' });
      const res = await fetch(`${origin}/api/login`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      expect(res.status, await res.clone().text()).toBe(200);
      expect((await res.json()).user.groups).toHaveLength(241);
      expect(out).not.toContain('Ice8Q~dev-entra.ICE-Server.not-a-secret0');
    },
  );
});
