import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDb } from '@/db/client';
import { loginEvents, sessions } from '@/db/schema';
import { useLoginFixture } from '@/test/support/login-fixture';
import { ROOT, runCli, type CliResult } from '@/test/support/processes';
import { tempDir } from '@/test/support/tmp';

/** `ice-sso <args>` without blocking this process: the test keeps signing users in meanwhile. */
function runCliAsync(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'ice-sso.mjs'), ...args], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}

describe('ice-sso db backup', () => {
  const f = useLoginFixture();
  const out = tempDir();

  it('copies the database while the server keeps signing users in: the copy opens, it holds as many sessions as accepted history rows (a whole transaction or none), and both chains verify with the audit key beside it', async () => {
    const source = f.db.$client.name;
    const env = { DATABASE_URL: `file:${source}` };
    const target = path.join(out, 'backup.db');
    let writing = true;
    let accepted = 0;
    const burst = (async () => {
      while (writing) {
        const answers = await Promise.all(Array.from({ length: 8 }, async () => f.login(await f.entra.mintAccessToken())));
        accepted += answers.filter((r) => r.status === 200).length;
      }
    })();
    // logins are being written when the backup starts, and go on while it runs
    while (accepted < 16) await new Promise((r) => setTimeout(r, 20));
    const backup = await runCliAsync(['db', 'backup', target], env);
    const acceptedDuringBackup = accepted;
    while (accepted < acceptedDuringBackup + 16) await new Promise((r) => setTimeout(r, 20));
    writing = false;
    await burst;

    expect(backup.status, backup.stderr).toBe(0);
    expect(backup.stdout).toContain(`Backup written: ${target}`);
    const keyFile = path.join(path.dirname(source), 'audit.key');
    expect(backup.stdout).toContain(`Keep the audit key file with it: ${keyFile}`);
    expect(backup.stdout).toMatch(/To restore:[\s\S]*stop every ice-sso process[\s\S]*copy the backup into place[\s\S]*audit key[\s\S]*start ice-sso/);
    expect(fs.readdirSync(out)).toEqual(['backup.db']);

    const copy = openDb(target, { migrate: false });
    const copied = copy.select({ n: count() }).from(sessions).get()!.n;
    expect(copied).toBeGreaterThanOrEqual(16);
    // the server went on after the copy was taken
    expect(copied).toBeLessThan(f.db.select({ n: count() }).from(sessions).get()!.n);
    expect(copy.select({ n: count() }).from(loginEvents).where(eq(loginEvents.outcome, 'accepted')).get()!.n).toBe(copied);
    copy.$client.close();

    // restore as the output says: the copy with its audit key beside it
    fs.copyFileSync(keyFile, path.join(out, 'audit.key'));
    const verify = runCli(['audit', 'verify', '--json'], { DATABASE_URL: `file:${target}` });
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    const list = JSON.parse(verify.stdout) as Array<{ firstBroken?: unknown; verified: number }>;
    expect(list.map((c) => c.firstBroken)).toEqual([undefined, undefined]);
    expect(list[0]!.verified).toBeGreaterThanOrEqual(copied);
  });

  it('refuses to overwrite an existing file, and leaves it as it was', () => {
    const target = path.join(out, 'taken.db');
    fs.writeFileSync(target, 'not a database');
    const r = runCli(['db', 'backup', target], { DATABASE_URL: `file:${f.db.$client.name}` });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('exists already');
    expect(fs.readFileSync(target, 'utf8')).toBe('not a database');
  });

  it('says how to use it when the file is missing', () => {
    const r = runCli(['db', 'backup'], { DATABASE_URL: `file:${f.db.$client.name}` });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('ice-sso db backup <file>');
  });
});
