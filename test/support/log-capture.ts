import { afterAll, beforeAll } from 'vitest';
import { buildLogger } from '@/server/lib/log';

const ROOT = Symbol.for('ice-sso.log-root');

/**
 * The lines the process's logger writes while this test file runs, kept in memory (level
 * `info`). The log module keeps its root logger on globalThis; the one before is put back
 * afterwards, since other files may share this process (Stryker's runs reuse one worker).
 */
export function captureLogLines(): string[] {
  const lines: string[] = [];
  const g = globalThis as Record<symbol, unknown>;
  let previous: unknown;
  beforeAll(() => {
    previous = g[ROOT];
    g[ROOT] = buildLogger('info', { write: (s: string) => void lines.push(s) });
  });
  afterAll(() => {
    g[ROOT] = previous;
  });
  return lines;
}
