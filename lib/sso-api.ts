'use client';
import type { SsoMetaDocument } from '@/server/settings/document';

/** Calls of the public endpoints that the ICE web client uses: /sso-meta, /api/login, /api/session. */

export type SsoMetaResult = { kind: 'configured'; meta: SsoMetaDocument } | { kind: 'not_configured' } | { kind: 'error'; message: string };

export async function fetchSsoMeta(): Promise<SsoMetaResult> {
  try {
    const res = await fetch('/sso-meta', { cache: 'no-store' });
    if (res.status === 404) return { kind: 'not_configured' };
    if (!res.ok) return { kind: 'error', message: `The server answered ${res.status}.` };
    return { kind: 'configured', meta: (await res.json()) as SsoMetaDocument };
  } catch {
    return { kind: 'error', message: 'The server cannot be reached.' };
  }
}

export interface IceUser {
  id: string;
  tenantId: string;
  objectId: string;
  displayName: string | null;
  email: string | null;
  groups: { id: string; name: string | null }[];
}

export interface LoginRefusal {
  status: number;
  error: string;
  reason: string;
  message: string;
  /** The response's `x-request-id`, for support to find the attempt; null when the server sends none. */
  requestId: string | null;
  /** When the refusal came back (ISO), so that the attempt can be found in the login history by time. */
  at: string;
}

export type LoginResult = { ok: true; session: { token: string; expiresAt: string }; user: IceUser } | { ok: false; refusal: LoginRefusal };

/** POST /api/login with the Entra access token, exactly as the ICE clients do. */
export async function postLogin(accessToken: string): Promise<LoginResult> {
  let res: Response;
  try {
    res = await fetch('/api/login', { method: 'POST', headers: { authorization: `Bearer ${accessToken}` } });
  } catch {
    return {
      ok: false,
      refusal: {
        status: 0,
        error: 'network_error',
        reason: 'network_error',
        message: 'The server cannot be reached.',
        requestId: null,
        at: new Date().toISOString(),
      },
    };
  }
  const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  if (res.ok && body && typeof body.session === 'object') {
    return { ok: true, session: body.session as { token: string; expiresAt: string }, user: body.user as IceUser };
  }
  return {
    ok: false,
    refusal: {
      status: res.status,
      error: typeof body?.error === 'string' ? body.error : 'unknown_error',
      reason: typeof body?.reason === 'string' ? body.reason : 'unknown',
      message: typeof body?.message === 'string' ? body.message : `The server answered ${res.status}.`,
      requestId: res.headers.get('x-request-id'),
      at: new Date().toISOString(),
    },
  };
}

/** GET /api/session: the user of a stored ICE session, or null when it has ended. */
export async function fetchSession(token: string): Promise<{ user: IceUser; expiresAt: string } | null> {
  const res = await fetch('/api/session', { headers: { authorization: `Bearer ${token}` }, cache: 'no-store' }).catch(() => null);
  if (!res?.ok) return null;
  const body = (await res.json()) as { user: IceUser; session: { expiresAt: string } };
  return { user: body.user, expiresAt: body.session.expiresAt };
}

/** DELETE /api/session: revokes the ICE session on the server. */
export async function deleteSession(token: string): Promise<void> {
  await fetch('/api/session', { method: 'DELETE', headers: { authorization: `Bearer ${token}` } }).catch(() => null);
}
