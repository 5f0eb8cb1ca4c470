import 'server-only';
import { z } from 'zod';

/**
 * Time bounds of audit filters. A bound is epoch milliseconds or an ISO 8601 text: a date
 * (`2026-11-01`, read as UTC) or a date-time with a zone (`2026-11-01T08:00:00Z`, `...+01:00`).
 * `from` is inclusive; `to` is exclusive, except that a date alone as `to` includes that
 * whole day (`--since 2026-11-01 --until 2026-11-30` is all of November).
 */
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const DAY_MS = 86_400_000;
/** Year 9999: anything later is a typo, and keeps the values exact integers in SQLite. */
const MAX_MS = 253_402_300_799_999;

function parseBound(value: number | string, end: boolean): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value <= MAX_MS ? value : null;
  const text = value.trim();
  if (/^\d{1,15}$/.test(text)) return parseBound(Number(text), end);
  if (DATE_ONLY.test(text)) {
    const ms = Date.parse(`${text}T00:00:00Z`);
    if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text) return null;
    return end ? ms + DAY_MS : ms;
  }
  if (!DATE_TIME.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) || ms < 0 || ms > MAX_MS ? null : ms;
}

const boundInput = z.union([z.number(), z.string().max(40)]);
const message = 'must be epoch milliseconds, a date (2026-11-01) or an ISO 8601 date-time with a zone (2026-11-01T08:00:00Z)';

function boundSchema(end: boolean) {
  return boundInput.transform((value, ctx) => {
    const ms = parseBound(value, end);
    if (ms === null) {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return ms;
  });
}

/** Start of a time range (inclusive), as epoch ms after parsing. */
export const timeFromSchema = boundSchema(false);
/** End of a time range (exclusive; a date alone includes that day), as epoch ms after parsing. */
export const timeToSchema = boundSchema(true);

/** Parses one bound outside zod (the CLI's messages), or null when it is not a time. */
export function parseTimeBound(value: string, end: boolean): number | null {
  return parseBound(value, end);
}
