import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthorizeRequest } from './authorize-request';
import { validateAuthorize } from './authorize-request';
import { clientInfo } from './client-info';
import { entraError, redirectErrorParams } from './errors';
import { readBody, sendHtml } from './http';
import { newGuid } from './opaque';
import { errorPage, signInPage } from './pages';
import { reply } from './reply';
import { sessionCookie, sessionUser } from './session';
import type { EmulatorState } from './state';
import type { TenantScope } from './tenants';
import { DEMO_USER_LIST, userByHint, userByKey } from './users';
import type { DemoUser } from './users';

const INTERACTIVE_PROMPTS: readonly (string | undefined)[] = ['login', 'select_account', 'create'];

function usersOf(tenant: TenantScope): readonly DemoUser[] {
  return tenant.kind === 'tenant' ? DEMO_USER_LIST.filter((u) => u.tenantId === tenant.tenant.id) : DEMO_USER_LIST;
}

/**
 * Who signs in without the account picker, in Entra's order: the account chosen on the page,
 * a login_hint naming an account, the browser's session, then Seamless SSO (a domain_hint
 * naming the domain of a Windows-integrated user stands for "this PC is domain-joined").
 */
function chooseUser(
  request: AuthorizeRequest,
  candidates: readonly DemoUser[],
  picked: string | null,
  session: DemoUser | undefined,
): { user?: DemoUser; hinted?: DemoUser } {
  const listed = (u: DemoUser | undefined): DemoUser | undefined => (u && candidates.some((c) => c.key === u.key) ? u : undefined);
  const chosen = listed(picked ? userByKey(picked) : undefined);
  if (chosen) return { user: chosen };
  const hinted = request.loginHint ? listed(userByHint(request.loginHint, undefined)) : undefined;
  if (INTERACTIVE_PROMPTS.includes(request.prompt)) return { hinted };
  if (hinted) return { user: hinted };
  // A hint naming someone unknown must not sign in somebody else silently.
  if (request.loginHint) return {};
  const fromSession = listed(session);
  if (fromSession) return { user: fromSession };
  const domain = request.domainHint?.toLowerCase();
  const seamless = domain ? candidates.find((u) => u.amr.includes('wia') && u.upn.toLowerCase().endsWith(`@${domain}`)) : undefined;
  return seamless ? { user: seamless } : {};
}

function issueCode(state: EmulatorState, res: ServerResponse, request: AuthorizeRequest, user: DemoUser): void {
  const code = state.grants.issueCode({
    userKey: user.key,
    tenantId: user.tenantId,
    clientId: request.app.clientId,
    scope: request.scope,
    spa: request.redirectKind === 'spa',
    redirectUri: request.redirectUri,
    codeChallenge: request.codeChallenge,
    nonce: request.nonce,
  });
  const params: Record<string, string> = { code };
  if (request.clientInfo) params.client_info = clientInfo(user);
  params.session_state = newGuid();
  reply(res, request, params, { 'Set-Cookie': sessionCookie(user, state.secure) });
}

/** `GET|POST /<tenant>/oauth2/v2.0/authorize`: the sign-in page, and the code back to the client. */
export async function handleAuthorize(state: EmulatorState, req: IncomingMessage, res: ServerResponse, tenant: TenantScope, url: URL): Promise<void> {
  const params = req.method === 'POST' ? new URLSearchParams(await readBody(req)) : url.searchParams;
  const validation = validateAuthorize(tenant, params, state.config, state.origin);
  if (validation.kind === 'page') {
    sendHtml(res, 400, errorPage(validation.error.code, validation.error.description));
    return;
  }
  if (validation.kind === 'reply') {
    reply(res, validation.target, redirectErrorParams(state.origin, validation.error));
    return;
  }
  const request = validation.request;
  const candidates = usersOf(tenant);
  const { user, hinted } = chooseUser(request, candidates, params.get('dev_entra_user'), sessionUser(req));
  if (user && !state.directory.record(user).accountEnabled) {
    // Entra stops a disabled account on its own page: the app gets no code.
    sendHtml(res, 400, errorPage(50057, 'The user account is disabled.'));
    return;
  }
  if (user) {
    issueCode(state, res, request, user);
    return;
  }
  if (request.prompt === 'none') {
    const error = entraError('login_required', 50058, 'A silent sign-in request was sent but no user is signed in.');
    reply(res, request, redirectErrorParams(state.origin, error));
    return;
  }
  sendHtml(
    res,
    200,
    signInPage({
      appName: request.app.displayName,
      tenantName: tenant.kind === 'tenant' ? tenant.tenant.displayName : 'any organization',
      action: url.pathname,
      params,
      users: candidates,
      hintedUserKey: hinted?.key,
    }),
  );
}
