import 'server-only';
import { z } from 'zod';
import { AppError } from '@/shared/error-model';

/**
 * Keyset paging for every list of the console (users, groups, login history, change log, settings versions): one
 * cursor format, one page input, one error. A page hands out `nextCursor`, the position after its last row; the caller
 * passes it back as `cursor`. Rows written meanwhile never shift a later page (no OFFSET). See docs/console-api.md#paging.
 */

export const DEFAULT_PAGE_SIZE = 50;
/** Largest page a list returns. */
export const MAX_PAGE_SIZE = 200;
/** Longest cursor accepted: a 256-character name and an ID, JSON-escaped, in base64url. */
export const MAX_CURSOR_LENGTH = 4096;
/** Stable reason code of a cursor this server did not issue for that list; the message of its input issue starts with it. */
export const BAD_CURSOR_REASON = 'bad_cursor';

/** A page cursor this server did not issue, or issued for another list. */
export class PageCursorError extends AppError {
  readonly code = 'ERR_PAGE_CURSOR';
  constructor(message = 'The page cursor is not valid. Start again from the first page.') {
    super('bad_request', BAD_CURSOR_REASON, message);
  }
}

const rowId = z.number().int().positive();
const epochMs = z.number().int().nonnegative();

/** Position after the last row of a list ordered by (display name, id). */
const nameKeyset = z.tuple([z.string().nullable(), z.string().min(1)]).transform(([displayName, id]) => ({ displayName, id }));
/** Position after the last row of a list ordered by (ts DESC, id DESC). */
const timeKeyset = z.tuple([epochMs, rowId]).transform(([ts, id]) => ({ ts, id }));
/** Position after the last settings version (version DESC). */
const versionKeyset = z.tuple([rowId]).transform(([version]) => ({ version }));

/** Each list: the tag its cursors carry (so one list's cursor is refused by another) and its position. */
const lists = {
  users: { tag: 'u1', position: nameKeyset, fields: ['displayName', 'id'] },
  groups: { tag: 'g1', position: nameKeyset, fields: ['displayName', 'id'] },
  logins: { tag: 'l1', position: timeKeyset, fields: ['ts', 'id'] },
  changes: { tag: 'c1', position: timeKeyset, fields: ['ts', 'id'] },
  settingsVersions: { tag: 's1', position: versionKeyset, fields: ['version'] },
} as const;

export type CursorList = keyof typeof lists;
export type Keyset<L extends CursorList> = z.output<(typeof lists)[L]['position']>;
export type NameKeyset = Keyset<'users'>;
export type TimeKeyset = Keyset<'logins'>;

/** The cursor is opaque to callers: base64url of the JSON array `[tag, ...position]`. */
export function encodeCursor<L extends CursorList>(list: L, position: Keyset<L>): string {
  const values = lists[list].fields.map((f) => (position as Record<string, unknown>)[f]);
  return Buffer.from(JSON.stringify([lists[list].tag, ...values])).toString('base64url');
}

/** Throws {@link PageCursorError} for anything {@link encodeCursor} did not produce for `list`. */
export function decodeCursor<L extends CursorList>(list: L, cursor: string): Keyset<L> {
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new PageCursorError();
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(cursor, 'base64url')));
  } catch {
    throw new PageCursorError();
  }
  if (!Array.isArray(value) || value[0] !== lists[list].tag) throw new PageCursorError();
  const position = lists[list].position.safeParse(value.slice(1));
  if (!position.success) throw new PageCursorError();
  return position.data as Keyset<L>;
}

/** Whether `cursor` is a cursor of `list`. */
export function isCursorOf(list: CursorList, cursor: string): boolean {
  try {
    decodeCursor(list, cursor);
    return true;
  } catch {
    return false;
  }
}

/** An opaque `nextCursor` of the same list; anything else is a BAD_REQUEST on `cursor` whose message starts with `bad_cursor`. */
export const cursorSchema = (list: CursorList) =>
  z
    .string()
    .max(MAX_CURSOR_LENGTH, `${BAD_CURSOR_REASON}: is longer than any page cursor`)
    .refine((c) => isCursorOf(list, c), `${BAD_CURSOR_REASON}: is not a page cursor of this list; start again from the first page`);

export const pageLimitSchema = z.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE);

/** The page fields of a list's input: `cursor` (null or left out for the first page) and `limit` (1–200, default 50). */
export const pageInputShape = (list: CursorList) => ({ cursor: cursorSchema(list).nullish(), limit: pageLimitSchema });

/** A page request of `list` as its own schema, for domain functions called without tRPC (CLI, bench, tests). */
export const pageInputSchema = (list: CursorList) => z.object(pageInputShape(list)).strict();
export type PageInput = z.input<ReturnType<typeof pageInputSchema>>;

/** A page of `item`: `nextCursor` is null on the last page. */
export const pageOutputSchema = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
export type Page<T> = { items: T[]; nextCursor: string | null };

/**
 * Reads a page request of `list` for a domain function: throws zod's error on a size outside 1–200 and
 * {@link PageCursorError} on a cursor this list did not issue.
 */
export function readPage<L extends CursorList>(list: L, page: PageInput = {}): { after: Keyset<L> | null; limit: number } {
  const limit = pageLimitSchema.parse(page.limit);
  return { after: page.cursor ? decodeCursor(list, page.cursor) : null, limit };
}
