import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '@/db/client';
import { writeTransaction } from '@/db/transaction';
import { recordChange } from '@/server/audit/changes';
import { recordLoginEvent } from '@/server/audit/logins';
import { parseCsv } from '@/server/audit/test-fixtures';
import { runCli } from '@/test/support/processes';
import { tempDir, databaseUrlOf } from '@/test/support/tmp';
import { rawConnection } from '@/test/support/test-database';

const DAY = 86_400_000;
/** Event i of 60, one a day, the newest half a day old: no event sits on a day boundary. */
const tsOf = (now: number, i: number) => now - (60 - i) * DAY + DAY / 2;

/** A database written through the audit writers, as the server writes it, and the environment the CLI needs. */
function seeded() {
  const dir = tempDir();
  const file = path.join(dir, 'ice-sso.db');
  const db = openDb(file);
  const now = Date.now();
  writeTransaction(db, () => {
    for (let i = 0; i < 60; i++) {
      const zoe = i % 3 === 0;
      recordLoginEvent(
        db,
        {
          outcome: i % 4 === 0 ? 'refused' : 'accepted',
          reason: i % 4 === 0 ? 'group_required' : null,
          status: i % 4 === 0 ? 403 : 200,
          objectId: zoe ? '11111111-2222-4333-8444-555555555555' : '99999999-2222-4333-8444-555555555555',
          username: zoe ? 'zoe@contoso.com' : 'bo@contoso.com',
          displayName: zoe ? 'Zoë Ångström, "ZA"' : 'Bo Dahl',
          amr: i % 2 ? ['wia'] : ['pwd'],
          ip: '10.0.0.1',
          userAgent: 'line one\nline two',
        },
        tsOf(now, i),
      );
    }
    recordChange(db, { kind: 'local', name: 'admin' }, { action: 'settings.update', targetType: 'settings', after: { enabled: true } }, now - DAY);
  });
  db.$client.close();
  return { dir, file, env: { DATABASE_URL: databaseUrlOf(file) }, now };
}

describe('ice-sso audit', () => {
  const { dir, file, env, now } = seeded();

  it('exports the filtered login history as CSV on standard output', () => {
    const since = new Date(now - 30 * DAY).toISOString().slice(0, 10);
    const r = runCli(['audit', 'export', '--since', since, '--format', 'csv', '--outcome', 'refused', '--user', 'Zoë'], env);
    expect(r.status, r.stderr).toBe(0);
    const [header, ...rows] = parseCsv(r.stdout);
    expect(header![0]).toBe('id');
    const at = (name: string) => header!.indexOf(name);
    // refused (every 4th) and Zoë's (every 3rd): every 12th of the 60, within the last 30 days
    const expected = Array.from({ length: 60 }, (_, i) => i)
      .filter((i) => i % 12 === 0 && tsOf(now, i) >= Date.parse(since))
      .map((i) => String(i + 1))
      .reverse();
    expect(rows.map((row) => row[0])).toEqual(expected);
    for (const row of rows) {
      expect(row[at('display_name')]).toBe('Zoë Ångström, "ZA"');
      expect(row[at('user_agent')]).toBe('line one\nline two');
      expect(row[at('reason')]).toBe('group_required');
    }
  });

  it('exports JSON lines to a file, with a summary on standard error', () => {
    const out = path.join(dir, 'wia.jsonl');
    const r = runCli(['audit', 'export', '--format', 'jsonl', '--method', 'wia', '--since', '90d', '--out', out], env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`Exported 30 login events to ${out}`);
    const lines = fs
      .readFileSync(out, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { signInMethod: string });
    expect(lines).toHaveLength(30);
    expect(lines.every((l) => l.signInMethod === 'wia')).toBe(true);
    expect(fs.existsSync(`${out}.partial`)).toBe(false);
  });

  it('exports the change log', () => {
    const r = runCli(['audit', 'export', '--stream', 'changes', '--format', 'jsonl', '--action', 'settings.update'], env);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toMatchObject({ action: 'settings.update', actor: 'admin', after: { enabled: true } });
  });

  it.each([
    [['audit', 'export', '--format', 'xlsx'], /--format must be csv or jsonl/],
    [['audit', 'export', '--since', 'last week'], /--since "last week": expected a date/],
    [['audit', 'export', '--outcome', 'maybe'], /--outcome: /],
    [['audit', 'export', '--stream', 'changes', '--method', 'wia'], /--method filters the logins stream/],
    [['audit', 'export', '--colour', 'red'], /Unknown option --colour/],
    [['audit', 'export', '--since', '2026-11-02', '--until', '2026-11-01'], /--since must be before --until/],
    [['audit', 'frobnicate'], /Unknown audit command/],
  ])('rejects %j with a clear message and exit code 2', (args, message) => {
    const r = runCli(args, env);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('verifies both chains, then finds a row changed in SQLite and exits 1', () => {
    const ok = runCli(['audit', 'verify'], env);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('login history: 60 events verified, chain intact');
    expect(ok.stdout).toContain('change log: 1 events verified, chain intact');
    const raw = rawConnection(file);
    raw.prepare("UPDATE login_events SET display_name = 'Someone Else' WHERE id = 25").run();
    raw.close();
    const broken = runCli(['audit', 'verify'], env);
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/login history: BROKEN at event 25 \(hash_mismatch\)/);
    expect(broken.stdout).toContain('24 events verified before the break');
    const json = JSON.parse(runCli(['audit', 'verify', '--json'], env).stdout) as Array<{ stream: string; firstBroken?: { id: number } }>;
    expect(json[0]).toMatchObject({ stream: 'login', firstBroken: { id: 25, reason: 'hash_mismatch' } });
  });
});

describe('ice-sso audit verify --expect', () => {
  it('prints each head, passes while the chain still reaches an expected head, and exits 1 when the tail was cut (sequence counter lowered too) or the head differs', () => {
    const { file, env } = seeded();
    const first = runCli(['audit', 'verify'], env);
    expect(first.status, first.stderr).toBe(0);
    const logins = /head logins=(60:[0-9a-f]{64})/.exec(first.stdout)?.[1];
    const changes = /head changes=(1:[0-9a-f]{64})/.exec(first.stdout)?.[1];
    expect(logins && changes).toBeTruthy();
    expect(first.stdout).toContain(`ice-sso audit verify --expect logins=${logins},changes=${changes}`);

    const db = openDb(file);
    writeTransaction(db, () => recordLoginEvent(db, { outcome: 'refused', reason: 'token_expired', status: 401 }));
    db.$client.close();
    const grown = runCli(['audit', 'verify', '--expect', `logins=${logins},changes=${changes}`], env);
    expect(grown.status, grown.stdout).toBe(0);
    expect(grown.stdout).toMatch(/expected head logins=60:[0-9a-f]{12}…: ok\. The chain contains the expected head, event 60, and has grown to 61/);

    // an intruder deletes the newest 11 events and lowers SQLite's counter: the walk alone cannot tell
    const raw = rawConnection(file);
    raw.prepare('DELETE FROM login_events WHERE id > 50').run();
    raw.prepare("UPDATE sqlite_sequence SET seq = 50 WHERE name = 'login_events'").run();
    raw.close();
    expect(runCli(['audit', 'verify'], env).status).toBe(0);
    const cut = runCli(['audit', 'verify', '--expect', `logins=${logins}`], env);
    expect(cut.status).toBe(1);
    expect(cut.stdout).toContain('BEHIND. The chain ends at event 50, but it reached event 60 before: events 51–60 were removed (a cut tail).');
    const json = JSON.parse(runCli(['audit', 'verify', '--json', `--expect=logins=${logins}`], env).stdout) as Array<Record<string, unknown>>;
    expect(json[0]).toMatchObject({ stream: 'login', head: { seq: 50 }, expectedHead: { standing: 'behind', failed: true } });

    const other = runCli(['audit', 'verify', '--expect', `logins=40:${'ab'.repeat(32)}`], env);
    expect(other.status).toBe(1);
    expect(other.stdout).toMatch(/DIFFERS\. Event 40 has hash/);
    const bad = runCli(['audit', 'verify', '--expect', 'logins=12'], env);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('expected logins=<seq>:<hash>');
  });
});

describe('ice-sso audit purge', () => {
  it('applies retention now, and the chain still verifies', () => {
    const { env } = seeded();
    expect(runCli(['settings', 'set', 'auditRetentionDays=30'], env).status).toBe(0);
    const r = runCli(['audit', 'purge'], env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Retention 30 days/);
    expect(r.stdout).toMatch(/Purged 30 login events \(30 attempts\) and 0 change events/);
    const v = runCli(['audit', 'verify'], env);
    expect(v.status, v.stdout).toBe(0);
    expect(v.stdout).toMatch(/login history: 30 events verified, chain intact \(from the retention checkpoint/);
  });
});
