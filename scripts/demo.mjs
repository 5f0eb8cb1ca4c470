#!/usr/bin/env node
// `npm run demo`: the whole product on this machine, without a Microsoft tenant. Starts the
// local Entra ID emulator (HTTPS, self-signed; it serves Microsoft Graph too), points a demo
// database at it (Graph host and the emulator's development client secret included), and starts
// ice-sso trusting the emulator's certificate. Ctrl+C stops both.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entraPort = process.env.DEMO_ENTRA_PORT ?? '8443';
const port = process.env.PORT ?? '3000';
const DEFAULT_DB = 'file:./data/demo.db';
const databaseUrl = process.env.DATABASE_URL ?? DEFAULT_DB;
claimDemoDatabase(databaseUrl);
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
  [
    'bin/ice-sso.mjs',
    'settings',
    'set',
    'cloud=custom',
    `authorityHost=${ready.origin}`,
    // the emulator serves Microsoft Graph on its own origin: groups overage (Olivia, 241 groups) resolves through it
    `graphHost=${ready.graphHost ?? ready.origin}`,
    `tenantId=${ready.tenantId}`,
    `clientId=${ready.clientId}`,
    'enabled=true',
    '--comment',
    'npm run demo: local Entra ID emulator',
  ],
  { cwd: root, env, stdio: 'inherit' },
);
if (set.status !== 0) shutdown(1);
// the emulator's published development secret, through --stdin as an operator would pass a real one
const secret = spawnSync(process.execPath, ['bin/ice-sso.mjs', 'settings', 'set', 'graphClientSecret', '--stdin'], {
  cwd: root,
  env,
  input: `${ready.graphClientSecret}\n`,
  stdio: ['pipe', 'inherit', 'inherit'],
});
if (secret.status !== 0) shutdown(1);

console.log(`
ice-sso demo
  Entra emulator  ${ready.origin}   (self-signed: open it once in your browser and accept the certificate)
  Web sign-in     http://localhost:${port}/sso
  Console         http://localhost:${port}/   (use the setup link printed below, or sign in as adele@contoso.example)
  Graph           ${ready.graphHost ?? ready.origin}/v1.0   (olivia@contoso.example is in 241 groups: resolved through Graph at sign-in)
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

/**
 * The demo rewrites the settings of its database (tenant, authority, enabled). It only does so
 * to a database it created itself: a DATABASE_URL pointing at a real deployment is refused.
 * A marker file beside the database records that the demo created it.
 */
function claimDemoDatabase(url) {
  const isDefault = url === DEFAULT_DB;
  if (!/^file:/.test(url) && /^[a-z][a-z0-9+.-]+:/i.test(url)) refuse(`DATABASE_URL=${url} is not a SQLite file the demo can create.`);
  const file = path.resolve(root, url.replace(/^file:(\/\/)?/, ''));
  const marker = `${file}.demo`;
  if (fs.existsSync(file) && !fs.existsSync(marker) && !isDefault) {
    refuse(
      `DATABASE_URL=${url} names a database the demo did not create; the demo would overwrite its SSO settings.\n` +
        'Unset DATABASE_URL to use ./data/demo.db, or name a file that does not exist yet.',
    );
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(marker, 'created by npm run demo\n');
}

function refuse(message) {
  process.stderr.write(`npm run demo: ${message}\n`);
  process.exit(2);
}
