import 'server-only';
/** Pure (no server runtime imports): the tRPC input schemas check cursors with it. */
import { AppError } from '@/shared/error-model';

/** A page cursor this server did not issue, or issued for another list. */
export class DirectoryCursorError extends AppError {
  readonly code = 'ERR_DIRECTORY_CURSOR';
  constructor(message = 'The page cursor is not valid. Start again from the first page.') {
    super('bad_request', 'invalid_cursor', message);
  }
}

/**
 * Position after the last row of a page of a list ordered by (display name, id), display
 * names NULL first for users and last for groups. Opaque to callers: base64url of a small
 * JSON array tagged with the list it belongs to.
 */
export interface NameKeyset {
  displayName: string | null;
  id: string;
}

export type CursorList = 'users' | 'groups';

const TAG: Record<CursorList, string> = { users: 'u1', groups: 'g1' };

/** Longest cursor accepted: a 256-character name and an ID, JSON-escaped, in base64url. */
export const MAX_CURSOR_LENGTH = 4096;

export function encodeCursor(list: CursorList, k: NameKeyset): string {
  const bytes = new TextEncoder().encode(JSON.stringify([TAG[list], k.displayName, k.id]));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// btoa/atob and TextDecoder, not Buffer: this module also runs in the browser
function fromBase64url(text: string): string {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

/** Throws {@link DirectoryCursorError} for anything {@link encodeCursor} did not produce for `list`. */
export function decodeCursor(list: CursorList, cursor: string): NameKeyset {
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new DirectoryCursorError();
  let value: unknown;
  try {
    value = JSON.parse(fromBase64url(cursor));
  } catch {
    throw new DirectoryCursorError();
  }
  if (!Array.isArray(value) || value.length !== 3 || value[0] !== TAG[list]) throw new DirectoryCursorError();
  const [, displayName, id] = value as unknown[];
  if ((displayName !== null && typeof displayName !== 'string') || typeof id !== 'string' || id.length === 0) throw new DirectoryCursorError();
  return { displayName, id };
}

/** Whether a cursor decodes, for input schemas (a bad cursor is a bad request, not a server error). */
export function isCursorOf(list: CursorList, cursor: string): boolean {
  try {
    decodeCursor(list, cursor);
    return true;
  } catch {
    return false;
  }
}
