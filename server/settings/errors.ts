import 'server-only';
import { AppError } from '@/shared/error-model';
import type { SettingsIssue } from './schema';

/** A settings change that breaks a rule; nothing was written. `issues` go to the caller field by field. */
export class SettingsValidationError extends AppError {
  readonly code = 'ERR_SETTINGS_INVALID';
  constructor(readonly issues: SettingsIssue[]) {
    super('bad_request', 'settings_invalid', issues.map((i) => `${i.field}: ${i.message}`).join('; '));
  }
}

/** A version number that does not exist. */
export class SettingsVersionNotFoundError extends AppError {
  readonly code = 'ERR_SETTINGS_VERSION_NOT_FOUND';
  constructor(readonly version: number) {
    super('not_found', 'settings_version_not_found', `settings version ${version} does not exist`);
  }
}

/** The stored Microsoft Graph credential cannot be opened: its key file is missing, damaged or not the one that sealed it. */
export class GraphCredentialUnreadableError extends AppError {
  readonly code = 'ERR_GRAPH_CREDENTIAL_UNREADABLE';
  constructor(detail: string) {
    super('unavailable', 'graph_credential_unreadable', `The Microsoft Graph credential cannot be read: ${detail}. Set it again.`);
  }
}
