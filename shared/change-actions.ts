/**
 * Every action the change log records, with its words. Pure: the console shows the same
 * words. `recordChange` takes only these, so a new kind of change cannot be logged without
 * a name for auditors.
 */
export const changeActionLabels = {
  'settings.update': 'Settings saved',
  'settings.revert': 'Settings version restored',
  'settings.graph_credential_set': 'Microsoft Graph credential set',
  'settings.graph_credential_replace': 'Microsoft Graph credential replaced',
  'settings.graph_credential_clear': 'Microsoft Graph credential cleared',
  'user.disable': 'User disabled',
  'user.enable': 'User enabled',
  'user.entra_sign_out': 'Sessions ended: disabled, revoked or deleted in Entra ID',
  'group.update': 'Group edited',
  'breakglass.link_issued': 'Setup link issued',
  'breakglass.setup': 'Local admin created',
  'breakglass.password_reset': 'Local admin password reset',
  'breakglass.sign_in': 'Local admin signed in',
  'audit.export': 'Audit trail exported',
  'audit.purge': 'Old audit events purged (retention)',
  'breakglass.sign_in_failed': 'Local admin sign-in failed',
  'breakglass.sign_in_locked': 'Local admin sign-in refused (too many attempts)',
  'breakglass.sign_in_flood': 'Further refused local admin sign-ins from this address not listed one by one',
  'console.sign_in': 'Signed in to the console',
  'console.sign_out': 'Signed out of the console',
} as const;

export type ChangeAction = keyof typeof changeActionLabels;

export const changeTargetTypeLabels = {
  settings: 'Settings',
  user: 'User',
  group: 'Group',
  local_admin: 'Local admin',
  audit: 'Audit trail',
  console: 'Console',
} as const;

export type ChangeTargetType = keyof typeof changeTargetTypeLabels;

/** Words for an action; actions from an older version show their code. */
export function changeActionLabel(action: string): string {
  return (changeActionLabels as Record<string, string>)[action] ?? action;
}
