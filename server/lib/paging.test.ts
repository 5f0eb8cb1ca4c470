import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { BAD_CURSOR_REASON, cursorSchema, decodeCursor, encodeCursor, isCursorOf, MAX_CURSOR_LENGTH, PageCursorError, readPage } from './paging';

const b64 = (text: string) => Buffer.from(text).toString('base64url');

describe('page cursors', () => {
  it('decode to the position they were encoded from, for every list', () => {
    expect(decodeCursor('users', encodeCursor('users', { displayName: 'Ångström "x"', id: 'u-1' }))).toEqual({ displayName: 'Ångström "x"', id: 'u-1' });
    expect(decodeCursor('groups', encodeCursor('groups', { displayName: null, id: 'g' }))).toEqual({ displayName: null, id: 'g' });
    expect(decodeCursor('logins', encodeCursor('logins', { ts: 1_733_000_000_000, id: 7 }))).toEqual({ ts: 1_733_000_000_000, id: 7 });
    expect(decodeCursor('changes', encodeCursor('changes', { ts: 0, id: 1 }))).toEqual({ ts: 0, id: 1 });
    expect(decodeCursor('settingsVersions', encodeCursor('settingsVersions', { version: 3 }))).toEqual({ version: 3 });
  });

  it('are base64url text only', () => {
    expect(encodeCursor('users', { displayName: '/?+=', id: 'ÿ' })).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('of one list are refused by every other list', () => {
    const logins = encodeCursor('logins', { ts: 5, id: 5 });
    expect(() => decodeCursor('changes', logins)).toThrow(PageCursorError);
    expect(() => decodeCursor('users', encodeCursor('groups', { displayName: 'a', id: 'b' }))).toThrow(PageCursorError);
    expect(isCursorOf('logins', logins)).toBe(true);
    expect(isCursorOf('settingsVersions', logins)).toBe(false);
  });

  it('refuse text that is not base64url, not JSON, not UTF-8, of the wrong shape, or too long', () => {
    for (const bad of [
      'garbage!',
      b64('nope'),
      Buffer.from([0x5b, 0xff, 0x5d]).toString('base64url'),
      b64('{"0":"l1"}'),
      b64('["l1",12,"x"]'),
      b64('["l1",-1,2]'),
      b64('["l1",1.5,2]'),
      b64('["l1",1,2,3]'),
      b64('["u1",1]'),
      b64('["u1",null,""]'),
      'A'.repeat(MAX_CURSOR_LENGTH + 1),
    ]) {
      expect(() => decodeCursor('logins', bad), bad).toThrow(PageCursorError);
      expect(() => decodeCursor('users', bad), bad).toThrow(PageCursorError);
      expect(isCursorOf('logins', bad), bad).toBe(false);
      expect(isCursorOf('users', bad), bad).toBe(false);
    }
  });

  it('carry a stable code and reason', () => {
    const err = new PageCursorError();
    expect(err).toMatchObject({ code: 'ERR_PAGE_CURSOR', reason: 'bad_cursor', name: 'PageCursorError' });
  });
});

describe('the cursor input', () => {
  it('accepts a cursor of its list and refuses another, with a message that starts with the reason code', () => {
    expect(cursorSchema('users').parse(encodeCursor('users', { displayName: null, id: 'x' }))).toBeTypeOf('string');
    const refused = cursorSchema('users').safeParse(encodeCursor('groups', { displayName: null, id: 'x' }));
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message.startsWith(`${BAD_CURSOR_REASON}: `)).toBe(true);
    const long = cursorSchema('users').safeParse('A'.repeat(MAX_CURSOR_LENGTH + 1));
    expect(long.error?.issues[0]?.message.startsWith(`${BAD_CURSOR_REASON}: `)).toBe(true);
  });
});

describe('readPage', () => {
  it('decodes the cursor and defaults the size to 50', () => {
    expect(readPage('logins')).toEqual({ after: null, limit: 50 });
    expect(readPage('logins', { cursor: encodeCursor('logins', { ts: 2, id: 3 }), limit: 200 })).toEqual({ after: { ts: 2, id: 3 }, limit: 200 });
  });

  it('refuses a size outside 1–200 and a foreign cursor', () => {
    expect(() => readPage('users', { limit: 0 })).toThrow(ZodError);
    expect(() => readPage('users', { limit: 201 })).toThrow(ZodError);
    expect(() => readPage('users', { cursor: encodeCursor('logins', { ts: 2, id: 3 }) })).toThrow(PageCursorError);
  });
});
