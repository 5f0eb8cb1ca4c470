import { describe, expect, it } from 'vitest';
import { PASSWORD_RULES, passwordProblem, USERNAME_RE, USERNAME_RULE } from './credential-rules';

describe('break-glass credential rules', () => {
  it('accepts user names of 3 to 64 letters, digits and . _ @ -, and nothing else', () => {
    for (const ok of ['abc', 'a.b_c@d-e', 'A1'.padEnd(64, 'x')]) expect([ok, USERNAME_RE.test(ok)]).toEqual([ok, true]);
    for (const bad of ['ab', 'x'.repeat(65), 'a b c', 'abc!', 'äbc', '', 'abc\n']) expect([bad, USERNAME_RE.test(bad)]).toEqual([bad, false]);
    expect(USERNAME_RULE).toBe('3 to 64 letters, digits or . _ @ -');
  });
  it('says which password rule is broken, in the order of the rules shown', () => {
    expect(PASSWORD_RULES).toEqual(['at least 12 characters (at most 256)', 'does not contain the user name', 'uses at least 5 different characters']);
    expect(passwordProblem('short', 'admin')).toBe('must be at least 12 characters');
    expect(passwordProblem('abcdefghijk', '')).toBe('must be at least 12 characters');
    expect(passwordProblem('abcdefghijkl', '')).toBeNull();
    expect(passwordProblem('abcde'.repeat(51) + 'a', '')).toBeNull();
    expect(passwordProblem('abcde'.repeat(51) + 'ab', '')).toBe('must be at most 256 characters');
    expect(passwordProblem('my-ADMIN-password', 'admin')).toBe('must not contain the user name');
    expect(passwordProblem('my-admin-password', 'ADMIN')).toBe('must not contain the user name');
    expect(passwordProblem('abababababab', 'zz')).toBe('must not repeat the same few characters');
    expect(passwordProblem('abcdabcdabcd', 'zz')).toBe('must not repeat the same few characters');
    expect(passwordProblem('abcdeabcdeab', 'zz')).toBeNull();
  });
});
