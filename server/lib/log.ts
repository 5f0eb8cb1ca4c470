import 'server-only';
import { getEnv } from '@/config/env';

type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/**
 * JSON-lines logger. Callers pass only non-secret fields: never a token, session token,
 * password or setup link.
 */
function write(level: Level, msg: string, fields?: Record<string, unknown>): void {
  let threshold: Level | 'silent' = 'info';
  try {
    threshold = getEnv().LOG_LEVEL;
  } catch {
    // env errors are reported at boot; logging must not throw
  }
  if (order[level] < order[threshold]) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
  if (level === 'error' || level === 'warn') process.stderr.write(line + '\n');
  else process.stdout.write(line + '\n');
}

export const log = {
  debug: (msg: string, fields?: Record<string, unknown>) => write('debug', msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write('info', msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write('warn', msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write('error', msg, fields),
};
