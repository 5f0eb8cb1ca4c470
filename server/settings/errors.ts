import 'server-only';
import type { SettingsIssue } from './schema';

/** A settings change that breaks a rule; nothing was written. */
export class SettingsValidationError extends Error {
  readonly code = 'ERR_SETTINGS_INVALID';
  constructor(readonly issues: SettingsIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join('; '));
  }
}

/** A version number that does not exist. */
export class SettingsVersionNotFoundError extends Error {
  readonly code = 'ERR_SETTINGS_VERSION_NOT_FOUND';
  constructor(readonly version: number) {
    super(`settings version ${version} does not exist`);
  }
}
