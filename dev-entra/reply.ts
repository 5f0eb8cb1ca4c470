import type { ServerResponse } from 'node:http';
import type { ReplyTarget } from './authorize-request';
import { redirect, sendHtml } from './http';
import { formPostPage } from './pages';

/**
 * Sends an authorization response (or error) to the client's redirect URI in the requested
 * response mode. `state` is echoed last, as Entra does.
 */
export function reply(res: ServerResponse, target: ReplyTarget, params: Record<string, string>, headers: Record<string, string> = {}): void {
  const all = { ...params, ...(target.state !== undefined ? { state: target.state } : {}) };
  if (target.responseMode === 'form_post') {
    sendHtml(res, 200, formPostPage(target.redirectUri, all), headers);
    return;
  }
  if (target.responseMode === 'fragment') {
    const base = target.redirectUri.split('#')[0] ?? target.redirectUri;
    redirect(res, `${base}#${new URLSearchParams(all).toString()}`, headers);
    return;
  }
  const url = new URL(target.redirectUri);
  for (const [k, v] of Object.entries(all)) url.searchParams.append(k, v);
  redirect(res, url.toString(), headers);
}
