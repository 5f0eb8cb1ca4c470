import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `ice-sso <args>` as a user would (`npx ice-sso` runs this same bin file). */
export function runCli(args: string[], env: Record<string, string>): CliResult {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'ice-sso.mjs'), ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export interface RunningServer {
  origin: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts the real server (`node scripts/start.mjs`, what `npm start` runs) or plain
 * `next start`, on a free port and the given database, and waits until it answers.
 */
export async function startServer(opts: { databaseUrl: string; env?: Record<string, string>; mode?: 'npm-start' | 'next-start' }): Promise<RunningServer> {
  const port = await freePort();
  const args =
    opts.mode === 'next-start'
      ? [path.join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next'), 'start', '-p', String(port), '-H', '127.0.0.1']
      : [path.join(ROOT, 'scripts', 'start.mjs')];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: opts.databaseUrl,
      LOG_LEVEL: 'info',
      NEXT_TELEMETRY_DISABLED: '1',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  // ICE_SSO_TEST_SERVER_LOG=1: the server's own lines on the test's stderr (while debugging a suite)
  if (process.env.ICE_SSO_TEST_SERVER_LOG === '1') for (const stream of [child.stdout!, child.stderr!]) stream.pipe(process.stderr);
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited with ${child.exitCode ?? child.signalCode}:\n${out}`);
    try {
      await fetch(`${origin}/sso-meta`);
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`server did not start:\n${out}`);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  return {
    origin,
    port,
    child,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        // a process ended by a signal (kill -9 in a test) has a signalCode and no exitCode
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        // the server drains in-flight requests for up to 10 s before it exits
        setTimeout(() => child.kill('SIGKILL'), 12_000).unref();
      }),
  };
}
