import { spawnSync } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '@/test/support/processes';
import { tempDbFile, tempDir, databaseUrlOf } from '@/test/support/tmp';
import { onPostgres } from '@/test/support/test-database';

const SECRET = 'Cli8Q~command-line-secret-value-0123456789';
const PIPED = 'Pip8Q~secret-from-standard-input-98765432';

function withStdin(args: string[], env: Record<string, string>, input: string) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'ice-sso.mjs'), ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('the Microsoft Graph credential on the command line', () => {
  const db = tempDbFile();
  const env = { DATABASE_URL: databaseUrlOf(db) };

  it('takes graphClientSecret like any other key, says "set" without the value, and keeps it out of every output', () => {
    const r = runCli(['settings', 'set', 'graphHost=https://graph.microsoft.us', `graphClientSecret=${SECRET}`, 'domainHint=contoso.com'], env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('graphClientSecret set (stored encrypted');
    const shown = JSON.parse(runCli(['settings', 'show', '--json'], env).stdout);
    expect(shown).toMatchObject({
      graphHost: 'https://graph.microsoft.us',
      graphClientSecret: 'set',
      graphCertificate: 'not set',
      graphCredential: { active: 'client_secret' },
    });
    expect(shown.graphCredential.clientSecret.setAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const text = runCli(['settings', 'show'], env).stdout;
    expect(text).toMatch(/graphClientSecret\s+set \(\d{4}-.* by cli\)/);
    const outputs = [
      r.stdout,
      r.stderr,
      JSON.stringify(shown),
      text,
      runCli(['settings', 'history', '--json'], env).stdout,
      runCli(['audit', 'export', '--stream', 'changes', '--format', 'jsonl'], env).stdout,
      runCli(['audit', 'export', '--stream', 'changes', '--format', 'csv'], env).stdout,
    ];
    for (const out of outputs) expect(out).not.toContain(SECRET);
    const changes = runCli(['audit', 'export', '--stream', 'changes', '--format', 'jsonl'], env)
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(changes.map((c) => c.action)).toEqual(expect.arrayContaining(['settings.update', 'settings.graph_credential_set']));
  });

  it('reads the secret from standard input with --stdin (out of shell history) and says it was replaced', () => {
    const r = withStdin(['settings', 'set', 'graphClientSecret', '--stdin'], env, `${PIPED}\n`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('graphClientSecret replaced');
    expect(r.stdout + r.stderr).not.toContain(PIPED);
    const changes = runCli(['audit', 'export', '--stream', 'changes', '--format', 'jsonl'], env).stdout;
    expect(changes).toContain('settings.graph_credential_replace');
    expect(changes).not.toContain(PIPED);
    // the SQLite file itself (on PostgreSQL the tables are checked by the other tests)
    if (!onPostgres) expect(fs.readFileSync(db).includes(Buffer.from(PIPED))).toBe(false);
  });

  it('refuses --stdin with nothing piped in, and --stdin for an ordinary key', () => {
    expect(withStdin(['settings', 'set', 'graphClientSecret', '--stdin'], env, '').status).toBe(2);
    const r = withStdin(['settings', 'set', 'tenantId', '--stdin'], env, 'x');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--stdin reads the value of one write-only key');
  });

  it('takes a certificate from a PEM file and shows its SHA-256 thumbprint and expiry, never the key', () => {
    const dir = tempDir();
    const key = path.join(dir, 'k.pem');
    const cert = path.join(dir, 'c.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '10', '-subj', '/CN=cli-test'], {
      stdio: 'ignore',
    });
    const bundle = path.join(dir, 'bundle.pem');
    fs.writeFileSync(bundle, fs.readFileSync(key, 'utf8') + fs.readFileSync(cert, 'utf8'));
    const r = runCli(['settings', 'set', `graphCertificate=${bundle}`], env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/graphCertificate set: SHA-256 thumbprint [0-9A-F]{64}, expires \d{4}-/);
    const shown = JSON.parse(runCli(['settings', 'show', '--json'], env).stdout);
    expect(shown).toMatchObject({ graphCertificate: 'set', graphClientSecret: 'set', graphCredential: { active: 'certificate' } });
    expect(runCli(['settings', 'show'], env).stdout).toContain('(in use: the certificate wins)');
    const keyLine = fs.readFileSync(key, 'utf8').split('\n')[1]!;
    expect(runCli(['audit', 'export', '--stream', 'changes', '--format', 'jsonl'], env).stdout).not.toContain(keyLine);
  });

  it('clears a credential with an empty value, as a change-log row', () => {
    expect(runCli(['settings', 'set', 'graphClientSecret='], env).stdout).toContain('graphClientSecret cleared.');
    expect(runCli(['settings', 'set', 'graphClientSecret='], env).stdout).toContain('graphClientSecret was not set.');
    expect(JSON.parse(runCli(['settings', 'show', '--json'], env).stdout)).toMatchObject({
      graphClientSecret: 'not set',
      graphCredential: { active: 'certificate' },
    });
    expect(runCli(['audit', 'export', '--stream', 'changes', '--format', 'jsonl'], env).stdout).toContain('settings.graph_credential_clear');
  });

  it('refuses a graphHost with a query or over http:// outside a loopback custom cloud', () => {
    expect(runCli(['settings', 'set', 'graphHost=https://graph.microsoft.com?x=1'], env).stderr).toContain('graphHost: must not have a query or fragment');
    expect(runCli(['settings', 'set', 'graphHost=http://graph.example.com'], env).stderr).toContain('graphHost: must use https://');
  });
});
