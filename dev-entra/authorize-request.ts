import { appByClientId } from './apps';
import type { DemoApp } from './apps';
import { entraError } from './errors';
import type { EntraError } from './errors';
import { classifyRedirectUri } from './redirect-uris';
import type { RedirectKind } from './redirect-uris';
import { isScopeError, parseScopes } from './scopes';
import type { EmulatorConfig } from './state';
import type { TenantScope } from './tenants';

export type ResponseMode = 'query' | 'fragment' | 'form_post';

/** Where and how an authorization response (or error) goes back to the client. */
export interface ReplyTarget {
  readonly redirectUri: string;
  readonly responseMode: ResponseMode;
  readonly state?: string;
}

export interface AuthorizeRequest extends ReplyTarget {
  readonly tenant: TenantScope;
  readonly app: DemoApp;
  readonly redirectKind: RedirectKind;
  readonly scope: string;
  readonly nonce?: string;
  readonly codeChallenge?: string;
  readonly prompt?: string;
  readonly loginHint?: string;
  readonly domainHint?: string;
  readonly clientInfo: boolean;
}

/**
 * As in Entra: a bad client or redirect URI is shown on an error page (sending the browser
 * anywhere would make an open redirector); every later problem goes back to the redirect URI.
 */
export type AuthorizeValidation =
  | { readonly kind: 'ok'; readonly request: AuthorizeRequest }
  | { readonly kind: 'page'; readonly error: EntraError }
  | { readonly kind: 'reply'; readonly target: ReplyTarget; readonly error: EntraError };

const RESPONSE_MODES: readonly string[] = ['query', 'fragment', 'form_post'];
const PROMPTS: readonly string[] = ['none', 'login', 'select_account', 'consent', 'create'];

function missing(name: string): EntraError {
  return entraError('invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`);
}

function invalidValue(name: string, expected: string): EntraError {
  return entraError('invalid_request', 70011, `The provided value for the input parameter '${name}' is not valid. ${expected}`);
}

export function validateAuthorize(tenant: TenantScope, params: URLSearchParams, config: EmulatorConfig, origin: string): AuthorizeValidation {
  const get = (name: string): string | undefined => params.get(name) ?? undefined;
  const clientId = get('client_id');
  if (!clientId) return { kind: 'page', error: missing('client_id') };
  const app = appByClientId(clientId);
  if (!app) {
    return { kind: 'page', error: entraError('unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory.`) };
  }
  const redirectUri = get('redirect_uri');
  if (!redirectUri) return { kind: 'page', error: missing('redirect_uri') };
  const redirectKind = classifyRedirectUri(app, redirectUri, config, origin);
  if (!redirectKind) {
    return {
      kind: 'page',
      error: entraError(
        'invalid_request',
        50011,
        `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'.`,
      ),
    };
  }
  const mode = get('response_mode') ?? 'query';
  const target: ReplyTarget = { redirectUri, responseMode: RESPONSE_MODES.includes(mode) ? (mode as ResponseMode) : 'query', state: get('state') };
  const fail = (error: EntraError): AuthorizeValidation => ({ kind: 'reply', target, error });

  if (!RESPONSE_MODES.includes(mode)) return fail(invalidValue('response_mode', 'Expected query, fragment or form_post.'));
  const responseType = get('response_type');
  if (!responseType) return fail(missing('response_type'));
  if (responseType !== 'code') {
    return fail(entraError('unsupported_response_type', 700054, `response_type '${responseType}' is not enabled for the application.`));
  }
  const scope = get('scope');
  if (!scope) return fail(missing('scope'));
  const scopes = parseScopes(scope);
  if (isScopeError(scopes)) return fail(entraError(scopes.error, scopes.code, scopes.description));
  const codeChallenge = get('code_challenge');
  if (redirectKind === 'spa' && !codeChallenge) {
    return fail(entraError('invalid_request', 9002325, 'Proof Key for Code Exchange is required for cross-origin authorization code redemption.'));
  }
  // Entra also takes `plain`; the emulator insists on S256, which is all MSAL ever sends.
  if (codeChallenge && get('code_challenge_method') !== 'S256') return fail(invalidValue('code_challenge_method', 'Expected S256.'));
  const prompt = get('prompt');
  if (prompt && !PROMPTS.includes(prompt)) return fail(invalidValue('prompt', `Expected one of ${PROMPTS.join(', ')}.`));

  return {
    kind: 'ok',
    request: {
      ...target,
      tenant,
      app,
      redirectKind,
      scope,
      nonce: get('nonce'),
      codeChallenge,
      prompt,
      loginHint: get('login_hint'),
      domainHint: get('domain_hint'),
      clientInfo: get('client_info') === '1',
    },
  };
}
