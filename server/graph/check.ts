import 'server-only';
import type { Db } from '@/db/client';
import type { CheckStep } from '@/server/entra/check';
import type { EffectiveSettings } from '@/server/settings/derive';
import { GraphCredentialUnreadableError } from '@/server/settings/errors';
import { activeGraphCredential, type GraphCredential } from '@/server/settings/graph-credential';
import { GraphRequestError } from './errors';
import { requestJson } from './http';
import { membershipsUrl } from './memberships';
import { appTokenUrl, requestAppToken } from './token';

/** Check configuration waits this long for each of its two Graph calls. */
const CHECK_TIME_LIMIT_MS = 10_000;
/** Looked up when no signed-in user can be: a 404 then still proves the token and the permission. */
const NOBODY = '00000000-0000-0000-0000-000000000000';
const PERMISSIONS_FIX = 'Grant GroupMember.Read.All / User.Read.All as Application permissions with admin consent on the app registration ("API permissions").';

/**
 * The Microsoft Graph part of "Check configuration": a credential, an app-only token from the
 * tenant's token endpoint, and one Graph call (the memberships of `objectId`, the admin who asks,
 * when known), each step naming what is missing. Touches no cache.
 */
export async function checkGraphAccess(db: Db, s: EffectiveSettings, objectId: string | null): Promise<CheckStep[]> {
  const label = { credential: 'Microsoft Graph credential', token: 'App token for Microsoft Graph', call: 'Microsoft Graph answers' };
  let credential: GraphCredential | null;
  try {
    credential = activeGraphCredential(db);
  } catch (err) {
    if (!(err instanceof GraphCredentialUnreadableError)) throw err;
    return [{ id: 'graph_credential', label: label.credential, ok: false, detail: err.message }];
  }
  if (!credential)
    return [
      {
        id: 'graph_credential',
        label: label.credential,
        ok: false,
        detail:
          'No credential: groups overage (users in more than 200 groups) cannot be resolved and such sign-ins are refused when groups matter. Set graphClientSecret or graphCertificate (docs/operations.md, "Microsoft Graph").',
      },
    ];
  if (!s.graphHost || !s.complete)
    return [
      {
        id: 'graph_credential',
        label: label.credential,
        ok: false,
        detail: !s.graphHost ? 'graphHost is required for a custom cloud.' : 'Enter the tenant ID and client ID first.',
      },
    ];
  const steps: CheckStep[] = [
    {
      id: 'graph_credential',
      label: label.credential,
      ok: true,
      detail: credential.kind === 'certificate' ? 'A certificate (client assertion) is set.' : 'A client secret is set.',
    },
  ];
  let accessToken: string;
  try {
    accessToken = (await requestAppToken(s, credential, Date.now() + CHECK_TIME_LIMIT_MS)).accessToken;
    steps.push({ id: 'graph_token', label: label.token, ok: true, detail: `Entra issued an app-only token at ${appTokenUrl(s)} for ${s.graphHost}/.default.` });
  } catch (err) {
    if (!(err instanceof GraphRequestError)) throw err;
    steps.push({ id: 'graph_token', label: label.token, ok: false, detail: err.message });
    return steps;
  }
  const url = membershipsUrl(s.graphHost, objectId ?? NOBODY);
  try {
    const answer = await requestJson(
      url,
      { method: 'GET', headers: { authorization: `Bearer ${accessToken}` } },
      Date.now() + CHECK_TIME_LIMIT_MS,
      'Microsoft Graph',
    );
    const error = (answer.body as { error?: { code?: unknown } } | null)?.error;
    const code = typeof error?.code === 'string' ? error.code : `HTTP ${answer.status}`;
    if (answer.status === 200 || (answer.status === 404 && !objectId))
      steps.push({ id: 'graph_call', label: label.call, ok: true, detail: `${s.graphHost} answered a membership query: the permissions are granted.` });
    else if (answer.status === 403 || code === 'Authorization_RequestDenied')
      steps.push({ id: 'graph_call', label: label.call, ok: false, detail: `Graph refused the query (${code}). ${PERMISSIONS_FIX}` });
    else steps.push({ id: 'graph_call', label: label.call, ok: false, detail: `Graph answered ${code} (HTTP ${answer.status}) to ${url}.` });
  } catch (err) {
    if (!(err instanceof GraphRequestError)) throw err;
    steps.push({ id: 'graph_call', label: label.call, ok: false, detail: err.message });
  }
  return steps;
}
