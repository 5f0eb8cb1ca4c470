/**
 * Benchmark (not a test): POST /api/login and GET /sso-meta through the real server
 * (`node scripts/start.mjs` on SQLite) against a bare node:http + jose + better-sqlite3
 * baseline doing the same work, at 2 and 50 concurrent connections, with distinct valid
 * tokens (replay protection on). Prints throughput, p50/p99 and ratios, then checks that
 * every accepted login has its history row.
 *
 * Then login p50/p99 at 2 connections idle and again while an anonymous password-sign-in
 * flood (20 concurrent tRPC batches of 10 `auth.localSignIn`, the most a batch may hold) runs, in the same process.
 *
 *   node --require ./scripts/preload.cjs bench/login.ts [--requests 4000] [--meta-seconds 4] [--flood-logins 300]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import { count, eq } from 'drizzle-orm';
import { startEntraEmulator } from '@/dev-entra';
import { openDb } from '@/db/client';
import { loginEvents } from '@/db/schema';
import { updateSettings } from '@/server/settings/service';

const ROOT = path.resolve(__dirname, '..');
const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const REQUESTS = arg('requests', 4000);
const META_SECONDS = arg('meta-seconds', 4);
const FLOOD_LOGINS = arg('flood-logins', 300);
const USERS = ['password', 'mfa', 'seamless', 'guest', 'plain', 'admin', 'auditor'];

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

interface RunResult {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  failed: number;
}

/** Closed-loop load: `connections` keep-alive sockets, each sending its next request when the last answers. */
async function run(port: number, pathname: string, connections: number, bodies: { method: string; headers?: Record<string, string> }[], seconds?: number): Promise<RunResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let next = 0;
  let ok = 0;
  let failed = 0;
  const deadline = seconds ? Date.now() + seconds * 1000 : Infinity;
  const one = (req: { method: string; headers?: Record<string, string> }) =>
    new Promise<void>((resolve) => {
      const t0 = process.hrtime.bigint();
      const r = http.request({ host: '127.0.0.1', port, path: pathname, method: req.method, headers: req.headers, agent }, (res) => {
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
      for (;;) {
        if (Date.now() > deadline) return;
        const i = next++;
        if (!seconds && i >= bodies.length) return;
        await one(bodies[seconds ? i % bodies.length : i]!);
      }
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
  return { rps: latencies.length / elapsed, p50: pct(0.5), p99: pct(0.99), ok, failed };
}

/**
 * An anonymous password-sign-in flood, as an attacker would send it: `batches` concurrent POSTs
 * to /api/trpc, each batching `size` `auth.localSignIn` calls with random user names and wrong
 * passwords, sent again as soon as each answers, until `until()` says stop. Counts the calls
 * by HTTP status so the bench shows how many were refused at once (429) rather than hashed.
 */
async function passwordFlood(port: number, batches: number, size: number, until: () => boolean): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  const paths = Array.from({ length: size }, () => 'auth.localSignIn').join(',');
  const one = () =>
    new Promise<void>((resolve) => {
      const input = Object.fromEntries(Array.from({ length: size }, (_, i) => [i, { username: `flood-${Math.random().toString(36).slice(2, 10)}`, password: 'not-the-password-1' }]));
      const body = JSON.stringify(input);
      const r = http.request(
        { host: '127.0.0.1', port, path: `/api/trpc/${paths}?batch=1`, method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'x-ice-sso-csrf': '1', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          statuses.set(res.statusCode ?? 0, (statuses.get(res.statusCode ?? 0) ?? 0) + 1);
          res.resume();
          res.on('end', () => resolve());
        },
      );
      r.on('error', () => resolve());
      r.end(body);
    });
  await Promise.all(
    Array.from({ length: batches }, async () => {
      while (!until()) await one();
    }),
  );
  return statuses;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ice-sso-bench-'));
  const entra = await startEntraEmulator();
  const oursDb = path.join(dir, 'ours.db');
  const baseDb = path.join(dir, 'baseline.db');
  const db = openDb(oursDb);
  updateSettings(db, { cloud: 'custom', authorityHost: entra.authorityHost, tenantId: entra.tenantId, clientId: entra.clientId, enabled: true, loginRateLimitPerMinute: 0 }, { kind: 'cli', name: 'bench' });
  openDb(baseDb).$client.close();

  const total = REQUESTS * 4 + 400 + 2 * FLOOD_LOGINS;
  process.stdout.write(`minting ${total} distinct tokens… `);
  const t0 = Date.now();
  const tokens: string[] = [];
  for (let i = 0; i < total; i += 50) {
    tokens.push(...(await Promise.all(Array.from({ length: Math.min(50, total - i) }, (_, j) => entra.mintAccessToken({ user: USERS[(i + j) % USERS.length] })))));
  }
  console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const take = (n: number) => tokens.splice(0, n).map((t) => ({ method: 'POST', headers: { authorization: `Bearer ${t}` } }));

  const oursPort = await freePort();
  const basePort = await freePort();
  // BENCH_CPU_PROFILE=<dir>: write a V8 CPU profile of the ice-sso process (open it in Chrome DevTools)
  const profile = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [];
  const ours = await startProcess([...profile, path.join(ROOT, 'scripts', 'start.mjs')], { PORT: String(oursPort), HOST: '127.0.0.1', DATABASE_URL: `file:${oursDb}`, LOG_LEVEL: 'info' }, /ice-sso listening/);
  const base = await startProcess(['--require', './scripts/preload.cjs', 'bench/baseline-server.ts', baseDb, entra.authorityHost, entra.tenantId, entra.clientId, String(basePort)], {}, /baseline ready/);

  // warm both (JIT, key cache, statement cache)
  const warm = await run(oursPort, '/api/login', 10, take(200));
  await run(basePort, '/api/login', 10, take(200));

  const rows: string[][] = [['scenario', 'ice-sso req/s', 'p50 ms', 'p99 ms', 'baseline req/s', 'p50 ms', 'p99 ms', 'ratio']];
  const fmt = (n: number, d = 1) => n.toFixed(d);
  let acceptedByUs = warm.ok;
  for (const conns of [2, 50]) {
    const a = await run(oursPort, '/api/login', conns, take(REQUESTS));
    const b = await run(basePort, '/api/login', conns, take(REQUESTS));
    acceptedByUs += a.ok;
    if (a.failed || b.failed) console.log(`  note: ${a.failed} refused by ice-sso, ${b.failed} by the baseline at ${conns} connections`);
    rows.push([`POST /api/login, ${conns} conns`, fmt(a.rps, 0), fmt(a.p50, 2), fmt(a.p99, 2), fmt(b.rps, 0), fmt(b.p50, 2), fmt(b.p99, 2), fmt(a.rps / b.rps, 2)]);
  }
  for (const conns of [2, 50]) {
    const get = [{ method: 'GET' }];
    const a = await run(oursPort, '/sso-meta', conns, get, META_SECONDS);
    const b = await run(basePort, '/sso-meta', conns, get, META_SECONDS);
    rows.push([`GET /sso-meta, ${conns} conns`, fmt(a.rps, 0), fmt(a.p50, 2), fmt(a.p99, 2), fmt(b.rps, 0), fmt(b.p50, 2), fmt(b.p99, 2), fmt(a.rps / b.rps, 2)]);
  }
  // login latency while anonymous password sign-ins flood the console API, against idle, same process
  {
    const idle = await run(oursPort, '/api/login', 2, take(FLOOD_LOGINS));
    acceptedByUs += idle.ok;
    let stop = false;
    // batches the server accepts (maxBatchSize 10), 20 at once: each call reaches the hashing bound or the budgets
    const flood = passwordFlood(oursPort, 20, 10, () => stop);
    await new Promise((r) => setTimeout(r, 500));
    const loaded = await run(oursPort, '/api/login', 2, take(FLOOD_LOGINS));
    stop = true;
    const statuses = await flood;
    acceptedByUs += loaded.ok;
    rows.push([`POST /api/login idle, 2 conns`, fmt(idle.rps, 0), fmt(idle.p50, 2), fmt(idle.p99, 2), '', '', '', '']);
    rows.push([`  … during password flood`, fmt(loaded.rps, 0), fmt(loaded.p50, 2), fmt(loaded.p99, 2), '', '', '', `p99 x${fmt(loaded.p99 / Math.max(idle.p99, 0.001), 1)}`]);
    console.log(`password flood: batches answered by status ${JSON.stringify(Object.fromEntries(statuses))}; logins refused during it: ${loaded.failed}`);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));

  // every accepted login has its history row (the warm-up's 200 included)
  const check = openDb(oursDb);
  const accepted = check.select({ n: count() }).from(loginEvents).where(eq(loginEvents.outcome, 'accepted')).get()!.n;
  console.log(`history: ${accepted} accepted rows for ${acceptedByUs} accepted logins (warm-up included) ${accepted === acceptedByUs ? '(complete)' : '(MISMATCH)'}`);

  await new Promise<void>((resolve) => {
    ours.once('exit', () => resolve());
    ours.kill('SIGTERM');
  });
  base.kill('SIGTERM');
  await entra.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}

void main();
