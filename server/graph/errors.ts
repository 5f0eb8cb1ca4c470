import 'server-only';
import { AppError } from '@/shared/error-model';

/** Why Microsoft Graph could not answer; stable words (docs/operations.md, "Microsoft Graph"). */
export type GraphFailureReason =
  /** No credential, or no Graph host (a custom cloud must name one). */
  | 'graph_not_configured'
  /** Entra refused the credential: a wrong or expired secret (AADSTS7000215, 7000222), an unknown certificate (AADSTS700027). */
  | 'graph_credential_rejected'
  /** Entra refused the token request for another reason (unknown app in the tenant, bad scope). */
  | 'graph_token_refused'
  /** Graph answered 403 (`Authorization_RequestDenied`): the application permissions lack admin consent. */
  | 'graph_permission_denied'
  /** The user is not in the tenant's directory (404). */
  | 'graph_user_not_found'
  /** Throttled (429/503) beyond the budget, down, unreachable, or slower than the time limit. */
  | 'graph_unavailable'
  /** An answer that is not what Graph sends (not JSON, too large, too many pages). */
  | 'graph_bad_response'
  /** `@odata.nextLink` pointed off the configured Graph host; not followed. */
  | 'graph_next_link_refused';

/** A failed call to Entra's token endpoint or Microsoft Graph; never carries a token or the secret. */
export class GraphRequestError extends AppError {
  readonly code = 'ERR_GRAPH_REQUEST';
  declare readonly reason: GraphFailureReason;
  constructor(reason: GraphFailureReason, message: string, retryAfterSeconds?: number) {
    super(reason === 'graph_not_configured' ? 'bad_request' : 'unavailable', reason, message, { retryAfterSeconds });
  }
}
