/**
 * Rules for the break-glass admin's user name and password. Pure: the server enforces them
 * and the /setup page shows them live with the same code.
 */
export const USERNAME_RE = /^[a-zA-Z0-9._@-]{3,64}$/;
export const USERNAME_RULE = '3 to 64 letters, digits or . _ @ -';

export const PASSWORD_RULES = ['at least 12 characters (at most 256)', 'does not contain the user name', 'uses at least 5 different characters'] as const;

/** Rules for the break-glass password: long, and not trivially guessable. */
export function passwordProblem(password: string, username: string): string | null {
  if (password.length < 12) return 'must be at least 12 characters';
  if (password.length > 256) return 'must be at most 256 characters';
  if (username && password.toLowerCase().includes(username.toLowerCase())) return 'must not contain the user name';
  if (new Set(password).size < 5) return 'must not repeat the same few characters';
  return null;
}
