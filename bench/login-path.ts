/**
 * Benchmark (not a test): where a login's time goes, without HTTP. The same tokens (20 groups
 * each, from the local Entra emulator) are signed in one after the other, in this process, by
 * ice-sso's `loginWithToken` and by the baseline's login (bench/baseline-login.ts, the code
 * bench/baseline-server.ts serves), each on its own fresh SQLite file:
 *
 * - **login**: wall time per login (jose's RSA verify runs on libuv's pool in both, awaited);
 * - **CPU**: this process's user + system time per login (every thread);
 * - **transaction**: BEGIN to COMMIT; **statements**: the work inside it; **BEGIN + COMMIT**:
 *   the rest (SQLite writing the WAL frames of the commit);
 * - **WAL frames**: pages the commit wrote (automatic checkpoints off during the runs).
 *
 * Returning users (a pool of 500 that signed in first) and first sign-ins (a new `oid` each);
 * interleaved rounds, median of them, and the ratios ice-sso / baseline (here above 1 means
 * ice-sso takes longer: these are times, not throughputs).
 *
 *   node --require ./scripts/preload.cjs bench/login-path.ts [--logins 2000] [--rounds 3]
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { startEntraEmulator, type EntraEmulator } from '@/dev-entra';
import { openDb } from '@/db/client';
import { loginWithToken } from '@/server/login/login';
import { updateSettings } from '@/server/settings/service';
import { baselineLogin } from './baseline-login';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const LOGINS = arg('logins', 2000);
const ROUNDS = arg('rounds', 3);
const RETURNING_POOL = 500;
const GROUPS = Array.from({ length: 20 }, () => crypto.randomUUID());
const WAL_FRAME = 4096 + 24;

interface TxTimes {
  outerMs: number;
  innerMs: number;
}

/**
 * Times every outermost transaction of a connection: better-sqlite3's `transaction(fn)` is
 * wrapped so that the time inside `fn` (the statements) and the time of the whole call (with
 * BEGIN and COMMIT) add up separately. Installed before either side prepares its transactions.
 */
function timeTransactions(client: Database.Database): TxTimes {
  const times: TxTimes = { outerMs: 0, innerMs: 0 };
  const original = client.transaction.bind(client);
  // nested transactions (savepoints) count as part of the outermost one
  let depth = 0;
  client.transaction = (<A extends unknown[], R>(fn: (...args: A) => R) => {
    const tx = original((...args: A) => {
      const started = performance.now();
      try {
        return fn(...args);
      } finally {
        if (depth === 1) times.innerMs += performance.now() - started;
      }
    });
    const timed =
      (variant: (...args: A) => R) =>
      (...args: A): R => {
        depth++;
        const started = performance.now();
        try {
          return variant(...args);
        } finally {
          depth--;
          if (depth === 0) times.outerMs += performance.now() - started;
        }
      };
    return Object.assign(timed(tx), {
      deferred: timed(tx.deferred),
      immediate: timed(tx.immediate),
      exclusive: timed(tx.exclusive),
      default: timed(tx.default),
    });
  }) as unknown as typeof client.transaction;
  return times;
}

interface Side {
  name: 'ice-sso' | 'baseline';
  file: string;
  client: Database.Database;
  times: TxTimes;
  login: (token: string) => Promise<unknown>;
}

interface Sample {
  loginMs: number;
  cpuMs: number;
  txMs: number;
  statementsMs: number;
  commitMs: number;
  walFrames: number;
}

async function run(side: Side, tokens: string[]): Promise<Sample> {
  const wal = () => fs.statSync(`${side.file}-wal`).size;
  const wal0 = wal();
  const tx0 = { ...side.times };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const t of tokens) {
    if ((await side.login(t)) == null) throw new Error(`${side.name} refused a valid token`);
  }
  const elapsed = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const n = tokens.length;
  const txMs = (side.times.outerMs - tx0.outerMs) / n;
  const statementsMs = (side.times.innerMs - tx0.innerMs) / n;
  return {
    loginMs: elapsed / n,
    cpuMs: (cpu.user + cpu.system) / 1000 / n,
    txMs,
    statementsMs,
    commitMs: txMs - statementsMs,
    walFrames: (wal() - wal0) / WAL_FRAME / n,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function mint(entra: EntraEmulator, n: number, oidOf: (i: number) => string): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < n; i += 100)
    tokens.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(100, n - i) }, (_, j) => entra.mintAccessToken({ user: 'plain', groups: GROUPS, claims: { oid: oidOf(i + j) } })),
      )),
    );
  return tokens;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ice-sso-login-path-'));
  const entra = await startEntraEmulator();
  try {
    const oursFile = path.join(dir, 'ours.db');
    const ours = openDb(oursFile);
    ours.$client.pragma('wal_autocheckpoint = 0');
    updateSettings(
      ours,
      { cloud: 'custom', authorityHost: entra.authorityHost, tenantId: entra.tenantId, clientId: entra.clientId, enabled: true, loginRateLimitPerMinute: 0 },
      { kind: 'cli', name: 'bench' },
    );
    const oursTimes = timeTransactions(ours.$client);
    const baseFile = path.join(dir, 'baseline.db');
    const base = openDb(baseFile).$client;
    base.pragma('wal_autocheckpoint = 0');
    const baseTimes = timeTransactions(base);
    const baseLogin = await baselineLogin(base, { authority: entra.authorityHost, tenantId: entra.tenantId, clientId: entra.clientId });
    const sides: Side[] = [
      {
        name: 'ice-sso',
        file: oursFile,
        client: ours.$client,
        times: oursTimes,
        login: (token) => loginWithToken(ours, { token, ip: '127.0.0.1', userAgent: 'bench' }),
      },
      { name: 'baseline', file: baseFile, client: base, times: baseTimes, login: baseLogin },
    ];

    const pool = Array.from({ length: RETURNING_POOL }, () => crypto.randomUUID());
    process.stdout.write(`minting ${RETURNING_POOL + ROUNDS * 2 * LOGINS} tokens with ${GROUPS.length} groups… `);
    const t0 = Date.now();
    const warm = await mint(entra, RETURNING_POOL, (i) => pool[i]!);
    const rounds: Array<Record<'returning' | 'first', string[]>> = [];
    for (let r = 0; r < ROUNDS; r++)
      rounds.push({ returning: await mint(entra, LOGINS, (i) => pool[i % pool.length]!), first: await mint(entra, LOGINS, () => crypto.randomUUID()) });
    console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s`);
    // the returning users sign in once first, on both sides (this also warms the code paths)
    for (const s of sides) await run(s, warm);

    const samples = new Map<string, Sample[]>();
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 === 0 ? sides : [...sides].reverse();
      for (const mode of ['returning', 'first'] as const)
        for (const s of order) {
          const key = `${mode}/${s.name}`;
          samples.set(key, [...(samples.get(key) ?? []), await run(s, rounds[r]![mode])]);
        }
    }

    const columns: Array<[keyof Sample, string, number]> = [
      ['loginMs', 'login ms', 3],
      ['cpuMs', 'CPU ms', 3],
      ['txMs', 'transaction ms', 3],
      ['statementsMs', 'statements ms', 3],
      ['commitMs', 'BEGIN+COMMIT ms', 3],
      ['walFrames', 'WAL frames', 1],
    ];
    const rows: string[][] = [[`${LOGINS} logins one at a time, median of ${ROUNDS}`, 'side', ...columns.map((c) => c[1])]];
    for (const mode of ['returning', 'first'] as const) {
      const med = (who: string, k: keyof Sample) => median(samples.get(`${mode}/${who}`)!.map((x) => x[k]));
      rows.push([mode === 'returning' ? 'returning users' : 'first sign-ins', 'ice-sso', ...columns.map(([k, , d]) => med('ice-sso', k).toFixed(d))]);
      rows.push(['', 'baseline', ...columns.map(([k, , d]) => med('baseline', k).toFixed(d))]);
      rows.push(['', 'ratio', ...columns.map(([k]) => (med('ice-sso', k) / med('baseline', k)).toFixed(2))]);
    }
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const r of rows) console.log(r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
    ours.$client.close();
    base.close();
  } finally {
    await entra.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
