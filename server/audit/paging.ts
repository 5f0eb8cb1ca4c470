import 'server-only';
import { z } from 'zod';
import { AuditCursorError } from './errors';

/** Largest page the list queries return. */
export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

/** A page request: an opaque cursor from the previous page's `nextCursor`, and a size. */
export const auditPageSchema = z
  .object({
    cursor: z.string().max(100).nullish(),
    limit: z.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  })
  .strict();
export type AuditPageInput = z.input<typeof auditPageSchema>;

export interface AuditPage<T> {
  items: T[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
  /**
   * Set when a rare combination of filters ended the page before it was full: the search
   * has read back to this time (epoch ms) and goes on with `nextCursor`. Such a page may
   * hold fewer rows than asked, even none; show "searched back to ..." and a "more" button.
   */
  searchedBackTo: number | null;
}

/** Position after the last row of a page: rows are ordered by (ts DESC, id DESC). */
export interface Keyset {
  ts: number;
  id: number;
}

/** The cursor is opaque to callers: base64url of `v1:<ts>:<id>`. */
export function encodeCursor(k: Keyset): string {
  return Buffer.from(`v1:${k.ts}:${k.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): Keyset {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^v1:(\d{1,16}):(\d{1,16})$/.exec(text);
  if (!m) throw new AuditCursorError();
  const ts = Number(m[1]);
  const id = Number(m[2]);
  if (!Number.isSafeInteger(ts) || !Number.isSafeInteger(id)) throw new AuditCursorError();
  return { ts, id };
}
