#!/usr/bin/env node
// `npm run demo`: the whole product on this machine, without a Microsoft tenant. Starts the
// local Entra ID emulator (HTTPS, self-signed), points a demo database at it, and starts
// ice-sso trusting the emulator's certificate. Ctrl+C stops both.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entraPort = process.env.DEMO_ENTRA_PORT ?? '8443';
const port = process.env.PORT ?? '3000';
const databaseUrl = process.env.DATABASE_URL ?? 'file:./data/demo.db';
const certDir = path.join(root, 'data', 'dev-entra');
const children = [];

const entra = spawn(process.execPath, ['--require', './scripts/preload.cjs', 'dev-entra/main.ts', '--https', '--port', entraPort, '--cert-dir', certDir], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
});
children.push(entra);
const ready = await new Promise((resolve, reject) => {
  let out = '';
  entra.stdout.on('data', (d) => {
    out += d.toString();
    const m = /dev-entra ready (\{.*\})/.exec(out);
    if (m) resolve(JSON.parse(m[1]));
  });
  entra.once('exit', (code) => reject(new Error(`the emulator exited (${code}): ${out}`)));
});

const env = { ...process.env, DATABASE_URL: databaseUrl, PORT: port };
const set = spawnSync(
  process.execPath,
  ['bin/ice-sso.mjs', 'settings', 'set', 'cloud=custom', `authorityHost=${ready.origin}`, `tenantId=${ready.tenantId}`, `clientId=${ready.clientId}`, 'enabled=true', '--comment', 'npm run demo: local Entra ID emulator'],
  { cwd: root, env, stdio: 'inherit' },
);
if (set.status !== 0) shutdown(1);

console.log(`
ice-sso demo
  Entra emulator  ${ready.origin}   (self-signed: open it once in your browser and accept the certificate)
  Web sign-in     http://localhost:${port}/sso
  Console         http://localhost:${port}/   (use the setup link printed below, or sign in as adele@contoso.example)
  Database        ${databaseUrl}
`);
const server = spawn(process.execPath, ['scripts/start.mjs'], { cwd: root, env: { ...env, NODE_EXTRA_CA_CERTS: ready.certFile }, stdio: 'inherit' });
children.push(server);
server.once('exit', (code) => shutdown(code ?? 0));
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

function shutdown(code) {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 500);
}
