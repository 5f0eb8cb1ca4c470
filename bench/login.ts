/**
 * Benchmark (not a test): POST /api/login and GET /sso-meta through the real server
 * (`node scripts/start.mjs` on SQLite) against bench/baseline-server.ts (bare node:http + jose +
 * better-sqlite3 doing the same writes), driven by wrk at 50 connections in one run:
 *
 * - every login a distinct valid token carrying 20 groups (replay protection on);
 * - two modes: **returning** users (a pool that signed in before) and **first** sign-ins (a new
 *   `oid` every request);
 * - interleaved rounds (ours, baseline, then the other order next round), median of 3;
 * - req/s, p50/p99 (wrk's), and CPU per login from /proc (user + system time of every process
 *   of each server, threads included) — and the ratios;
 * - GET /sso-meta against a bare node:http server sending the same body.
 * Then it checks that every accepted login has its history row. `--flood` adds login latency at
 * 2 connections during an anonymous password-sign-in flood (node client, not wrk).
 *
 * Runs last `--seconds` each; a login run has `--tokens` distinct tokens (the same file serves both
 * servers: their databases are separate), more than either server answers in that time.
 *
 *   node --require ./scripts/preload.cjs bench/login.ts [--tokens 6000] [--seconds 3] [--rounds 3] [--meta-seconds 3] [--flood]
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
import { openDb } from '@/db/client';
import { loginEvents, sessions } from '@/db/schema';
import { updateSettings } from '@/server/settings/service';

const ROOT = path.resolve(__dirname, '..');
const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const TOKENS = arg('tokens', 6000);
const SECONDS = arg('seconds', 3);
const ROUNDS = arg('rounds', 3);
const META_SECONDS = arg('meta-seconds', 3);
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

function startProcess(args: string[], env: Record<string, string>, ready: RegExp): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      if (ready.test(out)) resolve(child);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

/** CPU seconds (user + system, all threads) of a process and all its descendants, from /proc. */
function cpuSeconds(rootPid: number): number {
  const children = new Map<number, number[]>();
  const ticks = new Map<number, number>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      ticks.set(Number(name), Number(fields[11]) + Number(fields[12]));
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // the process ended while we read
    }
  }
  let total = 0;
  const walk = (pid: number) => {
    total += ticks.get(pid) ?? 0;
    for (const c of children.get(pid) ?? []) walk(c);
  };
  walk(rootPid);
  return total / CLK_TCK;
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
  cpuMsPerReq: number;
  ok: number;
  failed: number;
}

function wrk(port: number, urlPath: string, wrkArgs: string[], scriptArgs: string[]): Promise<WrkResult> {
  const script = path.join(__dirname, 'wrk-tokens.lua');
  return new Promise((resolve, reject) => {
    execFile('wrk', [...wrkArgs, '-t1', `-c${CONNECTIONS}`, '-s', script, `http://127.0.0.1:${port}${urlPath}`, '--', ...scriptArgs], (err, stdout) => {
      if (err) return reject(err);
      const line = /WRK_JSON (.*)/.exec(stdout)?.[1];
      if (!line) return reject(new Error(`wrk printed no result: ${stdout}`));
      const j = JSON.parse(line) as Record<string, number>;
      resolve({ requests: j.requests!, durationUs: j.duration_us!, non2xx: j.non2xx!, socketErrors: j.socket_errors!, p50Us: j.p50_us!, p99Us: j.p99_us! });
    });
  });
}

/** One wrk run against one server: a token file (POST /api/login until the tokens run out) or `seconds` of GETs. */
async function measure(server: ChildProcess, port: number, urlPath: string, o: { tokensFile?: string; seconds: number }): Promise<Measured> {
  const cpu0 = cpuSeconds(server.pid!);
  const r = await wrk(port, urlPath, ['-d', `${o.seconds}s`, '--timeout', '10s'], o.tokensFile ? [o.tokensFile] : []);
  const cpu = cpuSeconds(server.pid!) - cpu0;
  const failed = r.non2xx + r.socketErrors;
  return {
    rps: r.requests / (r.durationUs / 1e6),
    p50: r.p50Us / 1000,
    p99: r.p99Us / 1000,
    cpuMsPerReq: (cpu * 1000) / Math.max(1, r.requests),
    ok: r.requests - r.non2xx,
    failed,
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

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ice-sso-bench-'));
  const entra = await startEntraEmulator();
  const oursDb = path.join(dir, 'ours.db');
  const baseDb = path.join(dir, 'baseline.db');
  const db = openDb(oursDb);
  updateSettings(
    db,
    { cloud: 'custom', authorityHost: entra.authorityHost, tenantId: entra.tenantId, clientId: entra.clientId, enabled: true, loginRateLimitPerMinute: 0 },
    { kind: 'cli', name: 'bench' },
  );
  openDb(baseDb).$client.close();

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

  const oursPort = await freePort();
  const basePort = await freePort();
  // BENCH_CPU_PROFILE=<dir>: write a V8 CPU profile of the ice-sso process (open it in Chrome DevTools)
  const profile = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [];
  const ours = await startProcess(
    [...profile, path.join(ROOT, 'scripts', 'start.mjs')],
    { PORT: String(oursPort), HOST: '127.0.0.1', DATABASE_URL: `file:${oursDb}`, LOG_LEVEL: 'info' },
    /ice-sso listening/,
  );
  const metaBody = await (await fetch(`http://127.0.0.1:${oursPort}/sso-meta`)).text();
  const metaFile = path.join(dir, 'sso-meta.json');
  fs.writeFileSync(metaFile, metaBody);
  const base = await startProcess(
    ['--require', './scripts/preload.cjs', 'bench/baseline-server.ts', baseDb, entra.authorityHost, entra.tenantId, entra.clientId, String(basePort), metaFile],
    {},
    /baseline ready/,
  );
  const servers = { ours: { proc: ours, port: oursPort }, base: { proc: base, port: basePort } };

  // warm both (JIT, key cache, statement cache), and sign the returning pool in once (its replays after that are refused)
  let acceptedByUs = 0;
  for (const who of ['ours', 'base'] as const) {
    const w1 = await measure(servers[who].proc, servers[who].port, '/api/login', { tokensFile: files.pool, seconds: 5 });
    const w2 = await measure(servers[who].proc, servers[who].port, '/api/login', { tokensFile: files.warmFirst, seconds: SECONDS });
    if (who === 'ours') acceptedByUs += w1.ok + w2.ok;
    if (w1.ok < RETURNING_POOL) console.log(`  warm-up: only ${w1.ok} of the ${RETURNING_POOL} returning users signed in to ${who}`);
  }

  const results: Record<'returning' | 'first' | 'meta', Record<'ours' | 'base', Measured[]>> = {
    returning: { ours: [], base: [] },
    first: { ours: [], base: [] },
    meta: { ours: [], base: [] },
  };
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? (['ours', 'base'] as const) : (['base', 'ours'] as const);
    for (const mode of ['returning', 'first'] as const) {
      for (const who of order) {
        const m = await measure(servers[who].proc, servers[who].port, '/api/login', { tokensFile: files.rounds[r]![mode], seconds: SECONDS });
        if (who === 'ours') acceptedByUs += m.ok;
        // more answers than tokens means replays were measured too: raise --tokens
        if (m.failed) console.log(`  note: round ${r + 1} ${mode}: ${m.failed} refused by ${who}${m.ok + m.failed > TOKENS ? ' (tokens ran out)' : ''}`);
        results[mode][who].push(m);
      }
    }
    for (const who of order) results.meta[who].push(await measure(servers[who].proc, servers[who].port, '/sso-meta', { seconds: META_SECONDS }));
    const ratio = (mode: 'returning' | 'first' | 'meta') => (results[mode].ours[r]!.rps / results[mode].base[r]!.rps).toFixed(2);
    console.log(`round ${r + 1}: returning ${ratio('returning')}, first ${ratio('first')}, sso-meta ${ratio('meta')}`);
  }

  const fmt = (n: number, d = 1) => n.toFixed(d);
  const rows: string[][] = [
    [
      'scenario (50 conns, median of ' + ROUNDS + ')',
      'ice-sso req/s',
      'p50 ms',
      'p99 ms',
      'CPU ms/req',
      'baseline req/s',
      'p50 ms',
      'p99 ms',
      'CPU ms/req',
      'req/s ratio',
      'p99 ratio',
      'CPU ratio',
    ],
  ];
  for (const [mode, label] of [
    ['returning', 'POST /api/login, returning users'],
    ['first', 'POST /api/login, first sign-ins'],
    ['meta', 'GET /sso-meta (baseline: bare node:http)'],
  ] as const) {
    const o = results[mode].ours;
    const b = results[mode].base;
    const med = (xs: Measured[], k: keyof Measured) => median(xs.map((x) => x[k]));
    rows.push([
      label,
      fmt(med(o, 'rps'), 0),
      fmt(med(o, 'p50'), 2),
      fmt(med(o, 'p99'), 2),
      fmt(med(o, 'cpuMsPerReq'), 3),
      fmt(med(b, 'rps'), 0),
      fmt(med(b, 'p50'), 2),
      fmt(med(b, 'p99'), 2),
      fmt(med(b, 'cpuMsPerReq'), 3),
      fmt(med(o, 'rps') / med(b, 'rps'), 2),
      fmt(med(o, 'p99') / med(b, 'p99'), 2),
      fmt(med(o, 'cpuMsPerReq') / med(b, 'cpuMsPerReq'), 2),
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));

  if (process.argv.includes('--flood')) acceptedByUs += await floodScenario(entra, oursPort);

  // every accepted login has its history row: one session per accepted login, one accepted row per session
  // (wrk counts only answers that arrived before its clock stopped, so its own count is a lower bound)
  const check = openDb(oursDb);
  const accepted = check.select({ n: count() }).from(loginEvents).where(eq(loginEvents.outcome, 'accepted')).get()!.n;
  const opened = check.select({ n: count() }).from(sessions).get()!.n;
  console.log(
    `history: ${accepted} accepted rows for ${opened} sessions opened, ${acceptedByUs} accepted answers counted by wrk ${accepted === opened && accepted >= acceptedByUs ? '(complete)' : '(MISMATCH)'}`,
  );

  await new Promise<void>((resolve) => {
    ours.once('exit', () => resolve());
    ours.kill('SIGTERM');
  });
  base.kill('SIGTERM');
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
