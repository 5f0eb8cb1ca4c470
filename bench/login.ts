/**
 * Benchmark (not a test): POST /api/login and GET /sso-meta through the real server
 * (`node scripts/start.mjs` on SQLite) against bench/baseline-server.ts (bare node:http + jose +
 * better-sqlite3 doing the same writes), driven by wrk at 50 connections in one run. `--postgres`
 * adds, in the same rounds, the real server on a throwaway PostgreSQL (test/postgres.ts): one
 * instance on one database, and two instances on another database driven at once (one wrk each,
 * 25 connections each, the tokens dealt between them, throughput summed):
 *
 * - every login a distinct valid token carrying 20 groups (replay protection on);
 * - two modes: **returning** users (a pool that signed in before) and **first** sign-ins (a new
 *   `oid` every request);
 * - interleaved rounds (ours, baseline[, PostgreSQL x1, x2], then the other order next round), median of 3;
 * - req/s, p50/p99 (wrk's), and CPU per login from /proc (user + system time of every process
 *   of each server, threads included; PostgreSQL's own processes in a column of their own, and
 *   in the CPU ratio) — and the ratios to the baseline;
 * - GET /sso-meta against a bare node:http server sending the same body.
 * Then it checks, on every database, that every accepted login has its history row. `--flood` adds login latency at
 * 2 connections during an anonymous password-sign-in flood (node client, not wrk).
 *
 * Runs last `--seconds` each; a login run has `--tokens` distinct tokens (the same file serves every
 * target: their databases are separate), more than any target answers in that time.
 *
 *   node --require ./scripts/preload.cjs bench/login.ts [--tokens 12000] [--seconds 3] [--rounds 3] [--meta-seconds 3] [--flood] [--postgres]
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { count, eq } from 'drizzle-orm';
import { startEntraEmulator, type EntraEmulator } from '@/dev-entra';
import { getEnv } from '@/config/env';
import { openDatabase, openDb, type Db } from '@/db/client';
import { loginEvents, sessions } from '@/db/schema';
import { updateSettings } from '@/server/settings/service';
import { startPostgres } from '@/test/postgres';

const ROOT = path.resolve(__dirname, '..');
const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
// 6,000 ran out in 3 s on a faster machine (the baseline answered 3,600 returning logins a second)
const TOKENS = arg('tokens', 12000);
const SECONDS = arg('seconds', 3);
const ROUNDS = arg('rounds', 3);
const META_SECONDS = arg('meta-seconds', 3);
const POSTGRES = process.argv.includes('--postgres');
const CONNECTIONS = 50;
const RETURNING_POOL = 500;
const GROUPS = Array.from({ length: 20 }, () => crypto.randomUUID());
const CLK_TCK = 100; // getconf CLK_TCK on Linux

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts a server with its output appended to `logFile`, as an operator's service manager would
 * (a file or journald), and resolves once a line matches `ready`. Not a pipe read by this
 * process: ice-sso writes its access lines synchronously (one write per event-loop turn, server/lib/log.ts), and a
 * pipe its reader drains late fills up; pino's writer then sleeps 100 ms per full pipe (sonic-boom's
 * EAGAIN retry), which measured this bench's reader, not the server.
 */
function startProcess(args: string[], env: Record<string, string>, ready: RegExp, logFile: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const fd = fs.openSync(logFile, 'a');
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', fd, fd] });
    fs.closeSync(fd);
    const output = () => fs.readFileSync(logFile, 'utf8');
    const poll = setInterval(() => {
      if (!ready.test(output())) return;
      clearInterval(poll);
      child.removeListener('exit', failed);
      resolve(child);
    }, 50);
    const failed = (code: number | null) => {
      clearInterval(poll);
      reject(new Error(`exited ${code}: ${output().slice(-4000)}`));
    };
    child.once('exit', failed);
  });
}

interface ProcStat {
  ppid: number;
  comm: string;
  ticks: number;
}

/** Every process's parent, name and CPU ticks (user + system, all threads), from /proc. */
function procTable(): Map<number, ProcStat> {
  const table = new Map<number, ProcStat>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(name), {
        ppid: Number(fields[1]),
        comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
        ticks: Number(fields[11]) + Number(fields[12]),
      });
    } catch {
      // the process ended while we read
    }
  }
  return table;
}

/** CPU seconds (user + system, all threads) of these processes and all their descendants, from /proc. */
function cpuSeconds(rootPids: number[]): number {
  const table = procTable();
  const children = new Map<number, number[]>();
  for (const [pid, p] of table) children.set(p.ppid, [...(children.get(p.ppid) ?? []), pid]);
  let total = 0;
  const walk = (pid: number) => {
    total += table.get(pid)?.ticks ?? 0;
    for (const c of children.get(pid) ?? []) walk(c);
  };
  for (const pid of rootPids) walk(pid);
  return total / CLK_TCK;
}

/** CPU seconds of these processes' main threads only (the thread whose id is the process id): the event loop's share. */
function mainThreadSeconds(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended
    }
  }
  return ticks / CLK_TCK;
}

/** The embedded PostgreSQL's postmaster: this process's child named `postgres` (none when ICE_SSO_TEST_POSTGRES_URL names a server). */
function postmasterPids(): number[] {
  return [...procTable()].filter(([, p]) => p.ppid === process.pid && p.comm === 'postgres').map(([pid]) => pid);
}

interface WrkResult {
  requests: number;
  durationUs: number;
  non2xx: number;
  socketErrors: number;
  p50Us: number;
  p99Us: number;
}

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  /** CPU of the ice-sso (or baseline) processes per answer. */
  cpuMsPerReq: number;
  /** The part of it spent on the main threads (the event loop): the rest is worker threads (libuv's pool, the checkpointer, the hash pool). */
  mainCpuMsPerReq: number;
  /** CPU of the PostgreSQL server per answer (0 on SQLite, where the database works inside the server process). */
  dbCpuMsPerReq: number;
  ok: number;
  /** Answers other than 2xx. */
  failed: number;
  /** Requests wrk got no answer to (connect, read, write errors, its 10 s timeout). */
  socketErrors: number;
}

/** One server under test: one process, or several instances on one database that wrk drives at once. */
interface Target {
  label: string;
  procs: ChildProcess[];
  ports: number[];
  /** Processes of the database server whose CPU counts too (PostgreSQL's). */
  dbPids: number[];
}

function wrk(port: number, urlPath: string, connections: number, wrkArgs: string[], scriptArgs: string[]): Promise<WrkResult> {
  const script = path.join(__dirname, 'wrk-tokens.lua');
  return new Promise((resolve, reject) => {
    execFile('wrk', [...wrkArgs, '-t1', `-c${connections}`, '-s', script, `http://127.0.0.1:${port}${urlPath}`, '--', ...scriptArgs], (err, stdout) => {
      if (err) return reject(err);
      const line = /WRK_JSON (.*)/.exec(stdout)?.[1];
      if (!line) return reject(new Error(`wrk printed no result: ${stdout}`));
      const j = JSON.parse(line) as Record<string, number>;
      resolve({ requests: j.requests!, durationUs: j.duration_us!, non2xx: j.non2xx!, socketErrors: j.socket_errors!, p50Us: j.p50_us!, p99Us: j.p99_us! });
    });
  });
}

/** A token file dealt round-robin into `n` files (one per instance: a token sent to two instances would be a replay). */
const splits = new Map<string, string[]>();
function splitFile(file: string, n: number): string[] {
  if (n === 1) return [file];
  const key = `${file}:${n}`;
  const known = splits.get(key);
  if (known) return known;
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const parts = Array.from({ length: n }, (_, k) => {
    const part = file.replace(/\.txt$/, `.${k + 1}-of-${n}.txt`);
    fs.writeFileSync(part, lines.filter((_, i) => i % n === k).join('\n') + '\n');
    return part;
  });
  splits.set(key, parts);
  return parts;
}

/**
 * One wrk run against a target: a token file (POST /api/login until the tokens run out) or
 * `seconds` of GETs. Several instances: one wrk per instance at once, CONNECTIONS shared between
 * them, each with its share of the tokens; throughput summed, p50 the mean of theirs, p99 the
 * larger (the merged p99 lies between the two).
 */
async function measure(target: Target, urlPath: string, o: { tokensFile?: string; seconds: number }): Promise<Measured> {
  const pids = target.procs.map((p) => p.pid!);
  const files = o.tokensFile ? splitFile(o.tokensFile, target.ports.length) : [];
  const cpu0 = cpuSeconds(pids);
  const main0 = mainThreadSeconds(pids);
  const db0 = cpuSeconds(target.dbPids);
  const runs = await Promise.all(
    target.ports.map((port, i) =>
      wrk(port, urlPath, Math.floor(CONNECTIONS / target.ports.length), ['-d', `${o.seconds}s`, '--timeout', '10s'], files[i] ? [files[i]] : []),
    ),
  );
  const cpu = cpuSeconds(pids) - cpu0;
  const mainCpu = mainThreadSeconds(pids) - main0;
  const dbCpu = cpuSeconds(target.dbPids) - db0;
  const requests = runs.reduce((n, r) => n + r.requests, 0);
  return {
    rps: runs.reduce((n, r) => n + r.requests / (r.durationUs / 1e6), 0),
    p50: runs.reduce((n, r) => n + r.p50Us, 0) / runs.length / 1000,
    p99: Math.max(...runs.map((r) => r.p99Us)) / 1000,
    cpuMsPerReq: (cpu * 1000) / Math.max(1, requests),
    mainCpuMsPerReq: (mainCpu * 1000) / Math.max(1, requests),
    dbCpuMsPerReq: (dbCpu * 1000) / Math.max(1, requests),
    ok: requests - runs.reduce((n, r) => n + r.non2xx, 0),
    failed: runs.reduce((n, r) => n + r.non2xx, 0),
    socketErrors: runs.reduce((n, r) => n + r.socketErrors, 0),
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function mintFile(entra: EntraEmulator, dir: string, name: string, n: number, oidOf: (i: number) => string): Promise<string> {
  const tokens: string[] = [];
  for (let i = 0; i < n; i += 100) {
    tokens.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(100, n - i) }, (_, j) => entra.mintAccessToken({ user: 'plain', groups: GROUPS, claims: { oid: oidOf(i + j) } })),
      )),
    );
  }
  const file = path.join(dir, `${name}.txt`);
  fs.writeFileSync(file, tokens.join('\n') + '\n');
  return file;
}

/** The settings every ice-sso database of the bench starts with: the emulator's tenant, no per-minute login limit. */
function configure(db: Db, entra: EntraEmulator): void {
  updateSettings(
    db,
    { cloud: 'custom', authorityHost: entra.authorityHost, tenantId: entra.tenantId, clientId: entra.clientId, enabled: true, loginRateLimitPerMinute: 0 },
    { kind: 'cli', name: 'bench' },
  );
}

/** Every accepted login has its history row: one session per accepted login, one accepted row per session. */
function historyCheck(label: string, databaseUrl: string, acceptedCounted: number): void {
  // wrk counts only answers that arrived before its clock stopped, so its own count is a lower bound
  const check = openDatabase(databaseUrl, { migrate: false });
  try {
    const accepted = check.select({ n: count() }).from(loginEvents).where(eq(loginEvents.outcome, 'accepted')).get()!.n;
    const opened = check.select({ n: count() }).from(sessions).get()!.n;
    console.log(
      `history (${label}): ${accepted} accepted rows for ${opened} sessions opened, ${acceptedCounted} accepted answers counted by wrk ${accepted === opened && accepted >= acceptedCounted ? '(complete)' : '(MISMATCH)'}`,
    );
  } finally {
    check.$client.close();
  }
}

type Who = 'base' | 'ours' | 'pg1' | 'pg2';

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ice-sso-bench-'));
  if (POSTGRES) {
    // on PostgreSQL the keys default to <project>/data/ (shared by every instance): keep them in the bench's folder, for every process of it
    process.env.AUDIT_KEY_FILE = path.join(dir, 'audit.key');
    process.env.GRAPH_KEY_FILE = path.join(dir, 'graph.key');
    if (getEnv().AUDIT_KEY_FILE !== process.env.AUDIT_KEY_FILE) throw new Error('the environment was read before the bench set AUDIT_KEY_FILE');
  }
  const entra = await startEntraEmulator();
  const oursDb = path.join(dir, 'ours.db');
  const baseDb = path.join(dir, 'baseline.db');
  const db = openDb(oursDb);
  configure(db, entra);
  openDb(baseDb).$client.close();

  // PostgreSQL: one throwaway cluster; a database for the single instance, another for the pair
  const pg = POSTGRES ? await startPostgres() : undefined;
  const pgUrls = pg ? { pg1: pg.url, pg2: await pg.createDatabase() } : undefined;
  if (pgUrls)
    for (const url of Object.values(pgUrls)) {
      const pgDb = openDatabase(url);
      configure(pgDb, entra);
      pgDb.$client.close();
    }

  const pool = Array.from({ length: RETURNING_POOL }, () => crypto.randomUUID());
  const t0 = Date.now();
  process.stdout.write(`minting ${(1 + 2 * ROUNDS) * TOKENS + RETURNING_POOL} tokens with ${GROUPS.length} groups… `);
  const files = {
    pool: await mintFile(entra, dir, 'pool', RETURNING_POOL, (i) => pool[i]!),
    warmFirst: await mintFile(entra, dir, 'warm-first', TOKENS, () => crypto.randomUUID()),
    rounds: [] as Array<Record<'returning' | 'first', string>>,
  };
  for (let r = 0; r < ROUNDS; r++) {
    files.rounds.push({
      returning: await mintFile(entra, dir, `returning-${r}`, TOKENS, (i) => pool[i % pool.length]!),
      first: await mintFile(entra, dir, `first-${r}`, TOKENS, () => crypto.randomUUID()),
    });
  }
  console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s`);

  // BENCH_CPU_PROFILE=<dir>: write a V8 CPU profile of each ice-sso process (open it in Chrome DevTools)
  const profile = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [];
  const startIceSso = async (databaseUrl: string) => {
    const port = await freePort();
    const proc = await startProcess(
      [...profile, path.join(ROOT, 'scripts', 'start.mjs')],
      { PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl, LOG_LEVEL: 'info' },
      /ice-sso listening/,
      path.join(dir, `ice-sso-${port}.log`),
    );
    return { proc, port };
  };
  const { proc: ours, port: oursPort } = await startIceSso(`file:${oursDb}`);
  const basePort = await freePort();
  const metaBody = await (await fetch(`http://127.0.0.1:${oursPort}/sso-meta`)).text();
  const metaFile = path.join(dir, 'sso-meta.json');
  fs.writeFileSync(metaFile, metaBody);
  const base = await startProcess(
    ['--require', './scripts/preload.cjs', 'bench/baseline-server.ts', baseDb, entra.authorityHost, entra.tenantId, entra.clientId, String(basePort), metaFile],
    {},
    /baseline ready/,
    path.join(dir, 'baseline.log'),
  );
  const targets = new Map<Who, Target>([
    ['base', { label: 'baseline (node:http + SQLite)', procs: [base], ports: [basePort], dbPids: [] }],
    ['ours', { label: 'ice-sso, SQLite', procs: [ours], ports: [oursPort], dbPids: [] }],
  ]);
  const dbUrls = new Map<Who, string>([['ours', `file:${oursDb}`]]);
  if (pgUrls) {
    const dbPids = postmasterPids();
    const single = await startIceSso(pgUrls.pg1);
    // two instances on one database, started one after the other (the second finds the migrations applied)
    const pair = [await startIceSso(pgUrls.pg2), await startIceSso(pgUrls.pg2)];
    targets.set('pg1', { label: 'ice-sso, PostgreSQL, 1 instance', procs: [single.proc], ports: [single.port], dbPids });
    targets.set('pg2', { label: 'ice-sso, PostgreSQL, 2 instances', procs: pair.map((p) => p.proc), ports: pair.map((p) => p.port), dbPids });
    dbUrls.set('pg1', pgUrls.pg1).set('pg2', pgUrls.pg2);
    if (dbPids.length === 0) console.log('  note: PostgreSQL runs outside this bench (ICE_SSO_TEST_POSTGRES_URL): its CPU is not counted');
  }
  const loginTargets = [...targets.keys()];

  // warm every target (JIT, key cache, statement cache), and sign the returning pool in once (its replays after that are refused)
  const acceptedBy = new Map<Who, number>(loginTargets.map((w) => [w, 0]));
  for (const who of loginTargets) {
    const t = targets.get(who)!;
    const w1 = await measure(t, '/api/login', { tokensFile: files.pool, seconds: 5 });
    const w2 = await measure(t, '/api/login', { tokensFile: files.warmFirst, seconds: SECONDS });
    acceptedBy.set(who, acceptedBy.get(who)! + w1.ok + w2.ok);
    if (w1.ok < RETURNING_POOL) console.log(`  warm-up: only ${w1.ok} of the ${RETURNING_POOL} returning users signed in to ${t.label}`);
  }

  const results = { returning: new Map<Who, Measured[]>(), first: new Map<Who, Measured[]>(), meta: new Map<Who, Measured[]>() };
  for (const m of Object.values(results)) for (const who of loginTargets) m.set(who, []);
  for (let r = 0; r < ROUNDS; r++) {
    // interleaved: the other order every other round
    const order = r % 2 === 0 ? loginTargets : [...loginTargets].reverse();
    for (const mode of ['returning', 'first'] as const) {
      for (const who of order) {
        const m = await measure(targets.get(who)!, '/api/login', { tokensFile: files.rounds[r]![mode], seconds: SECONDS });
        acceptedBy.set(who, acceptedBy.get(who)! + m.ok);
        // more answers than tokens means replays were measured too: raise --tokens
        if (m.failed) console.log(`  note: round ${r + 1} ${mode}: ${m.failed} refused by ${who}${m.ok + m.failed > TOKENS ? ' (tokens ran out)' : ''}`);
        if (m.socketErrors) console.log(`  note: round ${r + 1} ${mode}: ${m.socketErrors} requests to ${who} got no answer (socket errors or timeouts)`);
        results[mode].get(who)!.push(m);
      }
    }
    // /sso-meta is served from memory on either database: measured on SQLite and the baseline only
    for (const who of order.filter((w) => w === 'ours' || w === 'base'))
      results.meta.get(who)!.push(await measure(targets.get(who)!, '/sso-meta', { seconds: META_SECONDS }));
    const ratio = (mode: 'returning' | 'first' | 'meta', who: Who) => (results[mode].get(who)![r]!.rps / results[mode].get('base')![r]!.rps).toFixed(2);
    const others = loginTargets.filter((w) => w !== 'base');
    console.log(
      `round ${r + 1} (req/s ratio to the baseline): returning ${others.map((w) => `${w} ${ratio('returning', w)}`).join(', ')}; first ${others.map((w) => `${w} ${ratio('first', w)}`).join(', ')}; sso-meta ${ratio('meta', 'ours')}`,
    );
  }

  const fmt = (n: number, d = 1) => n.toFixed(d);
  const rows: string[][] = [
    [
      'scenario (50 conns, median of ' + ROUNDS + ')',
      'server',
      'req/s',
      'p50 ms',
      'p99 ms',
      'CPU ms/req',
      'main thread',
      'PG CPU ms/req',
      'req/s ratio',
      'p99 ratio',
      'CPU ratio',
    ],
  ];
  const med = (xs: Measured[], k: keyof Measured) => median(xs.map((x) => x[k]));
  for (const [mode, label] of [
    ['returning', 'POST /api/login, returning users'],
    ['first', 'POST /api/login, first sign-ins'],
    ['meta', 'GET /sso-meta (baseline: bare node:http)'],
  ] as const) {
    const b = results[mode].get('base')!;
    const bCpu = med(b, 'cpuMsPerReq');
    for (const who of loginTargets) {
      const o = results[mode].get(who)!;
      if (o.length === 0) continue;
      // the CPU ratio counts PostgreSQL's own CPU too: on SQLite the database works inside the server process
      const cpu = median(o.map((x) => x.cpuMsPerReq + x.dbCpuMsPerReq));
      const isPg = targets.get(who)!.dbPids.length > 0;
      rows.push([
        who === 'base' ? label : '',
        targets.get(who)!.label,
        fmt(med(o, 'rps'), 0),
        fmt(med(o, 'p50'), 2),
        fmt(med(o, 'p99'), 2),
        fmt(med(o, 'cpuMsPerReq'), 3),
        fmt(med(o, 'mainCpuMsPerReq'), 3),
        isPg ? fmt(med(o, 'dbCpuMsPerReq'), 3) : '-',
        fmt(med(o, 'rps') / med(b, 'rps'), 2),
        fmt(med(o, 'p99') / med(b, 'p99'), 2),
        fmt(cpu / bCpu, 2),
      ]);
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) console.log(r.map((c, i) => (i <= 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));

  if (process.argv.includes('--flood')) acceptedBy.set('ours', acceptedBy.get('ours')! + (await floodScenario(entra, oursPort)));

  for (const [who, url] of dbUrls) historyCheck(targets.get(who)!.label, url, acceptedBy.get(who)!);

  const stops = [...targets.entries()]
    .filter(([who]) => who !== 'base')
    .flatMap(([, t]) => t.procs)
    .map(
      (proc) =>
        new Promise<void>((resolve) => {
          proc.once('exit', () => resolve());
          proc.kill('SIGTERM');
        }),
    );
  await Promise.all(stops);
  base.kill('SIGTERM');
  await pg?.stop();
  await entra.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Closed-loop node client (keep-alive sockets, each sending its next request when the last answers): p50/p99 in ms. */
async function closedLoop(port: number, connections: number, requests: { method: string; path: string; headers?: Record<string, string> }[]) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let next = 0;
  let ok = 0;
  let failed = 0;
  const one = (req: (typeof requests)[number]) =>
    new Promise<void>((resolve) => {
      const t0 = process.hrtime.bigint();
      const r = http.request({ host: '127.0.0.1', port, path: req.path, method: req.method, headers: req.headers, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
          if (res.statusCode === 200) ok++;
          else failed++;
          resolve();
        });
      });
      r.on('error', () => {
        failed++;
        resolve();
      });
      r.end();
    });
  const started = Date.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      for (let i = next++; i < requests.length; i = next++) await one(requests[i]!);
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
  return { rps: latencies.length / elapsed, p50: pct(0.5), p99: pct(0.99), ok, failed };
}

/**
 * Login at 2 connections idle, then while an anonymous password-sign-in flood runs: 20
 * concurrent tRPC batches of 10 `auth.localSignIn` (the most a batch may hold), resent as soon
 * as each answers. Returns the number of accepted logins.
 */
async function floodScenario(entra: EntraEmulator, port: number): Promise<number> {
  const logins = async (n: number) =>
    (await Promise.all(Array.from({ length: n }, () => entra.mintAccessToken({ user: 'plain', groups: GROUPS, claims: { oid: crypto.randomUUID() } })))).map(
      (t) => ({
        method: 'POST',
        path: '/api/login',
        headers: { authorization: `Bearer ${t}` },
      }),
    );
  const idleTokens = await logins(300);
  const floodTokens = await logins(300);
  const idle = await closedLoop(port, 2, idleTokens);
  const statuses = new Map<number, number>();
  let stop = false;
  const paths = Array.from({ length: 10 }, () => 'auth.localSignIn').join(',');
  const one = () =>
    new Promise<void>((resolve) => {
      const body = JSON.stringify(
        Object.fromEntries(
          Array.from({ length: 10 }, (_, i) => [i, { username: `flood-${Math.random().toString(36).slice(2, 10)}`, password: 'not-the-password-1' }]),
        ),
      );
      const r = http.request(
        {
          host: '127.0.0.1',
          port,
          path: `/api/trpc/${paths}?batch=1`,
          method: 'POST',
          agent: false,
          headers: { 'content-type': 'application/json', 'x-ice-sso-csrf': '1', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          statuses.set(res.statusCode ?? 0, (statuses.get(res.statusCode ?? 0) ?? 0) + 1);
          res.resume();
          res.on('end', () => resolve());
        },
      );
      r.on('error', () => resolve());
      r.end(body);
    });
  const flood = Promise.all(
    Array.from({ length: 20 }, async () => {
      while (!stop) await one();
    }),
  );
  await new Promise((r) => setTimeout(r, 500));
  const loaded = await closedLoop(port, 2, floodTokens);
  stop = true;
  await flood;
  console.log(`login at 2 conns idle: ${idle.rps.toFixed(0)} req/s, p50 ${idle.p50.toFixed(2)} ms, p99 ${idle.p99.toFixed(2)} ms`);
  console.log(
    `  … during password flood: ${loaded.rps.toFixed(0)} req/s, p50 ${loaded.p50.toFixed(2)} ms, p99 ${loaded.p99.toFixed(2)} ms (p99 x${(loaded.p99 / Math.max(idle.p99, 0.001)).toFixed(1)})`,
  );
  console.log(`password flood: batches answered by status ${JSON.stringify(Object.fromEntries(statuses))}; logins refused during it: ${loaded.failed}`);
  return idle.ok + loaded.ok;
}

void main();
