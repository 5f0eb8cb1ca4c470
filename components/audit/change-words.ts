/** Change-log actions in words (server/audit callers of recordChange). Unknown actions show their code. */
export const changeActionLabels: Record<string, string> = {
  'settings.update': 'Settings saved',
  'settings.revert': 'Settings version restored',
  'user.disable': 'User disabled',
  'user.enable': 'User enabled',
  'group.update': 'Group edited',
  'breakglass.link_issued': 'Setup link issued',
  'breakglass.setup': 'Local admin created',
  'breakglass.password_reset': 'Local admin password reset',
  'breakglass.sign_in': 'Local admin signed in',
  'audit.export': 'Audit trail exported',
  'audit.purge': 'Old audit events purged (retention)',
};

export const targetTypeLabels: Record<string, string> = {
  settings: 'Settings',
  user: 'User',
  group: 'Group',
  local_admin: 'Local admin',
  audit: 'Audit trail',
};

export function actionLabel(action: string): string {
  return changeActionLabels[action] ?? action;
}

/** A changed value, short enough for a table cell. */
export function shortValue(value: unknown): string {
  if (value === null || value === undefined) return '(none)';
  if (Array.isArray(value)) return value.length ? value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ') : '(empty list)';
  if (typeof value === 'object') return JSON.stringify(value);
  if (value === '') return '(empty)';
  return String(value);
}
