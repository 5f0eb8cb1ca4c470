import 'server-only';
import { AppError } from '@/shared/error-model';

export interface Io {
  out(line?: string): void;
  err(line?: string): void;
}

export const processIo: Io = {
  out: (line = '') => process.stdout.write(line + '\n'),
  err: (line = '') => process.stderr.write(line + '\n'),
};

/** Exit codes: 0 ok, 1 failure, 2 bad usage or rejected input (nothing written). */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** A command line the CLI cannot run (exit code 2); the message says how to write it. */
export class UsageError extends AppError {
  readonly code = 'ERR_USAGE';
  constructor(message: string) {
    super('bad_request', 'usage', message);
  }
}

/** Splits `--flag value` / `--flag=value` / `--bool` options from positional arguments. */
export function parseArgs(args: string[], valueFlags: string[] = []): { positional: string[]; flags: Record<string, string | true> } {
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (eq !== -1) flags[name] = arg.slice(eq + 1);
    else if (valueFlags.includes(name)) {
      const value = args[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      flags[name] = value;
    } else flags[name] = true;
  }
  return { positional, flags };
}

export function formatTime(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString().replace('.000Z', 'Z');
}
