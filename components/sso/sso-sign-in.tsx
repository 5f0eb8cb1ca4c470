'use client';
import { BrowserUtils, type IPublicClientApplication } from '@azure/msal-browser';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { primarySignInMethod } from '@/shared/sign-in-methods';
import type { SsoMetaDocument } from '@/server/settings/document';
import { amrOf, hasGroupsOverage, readClaims } from '@/lib/jwt-claims';
import { activeAccount, AFTER_SIGN_OUT_KEY, entraConfigFromMeta, getMsal } from '@/lib/msal';
import { consolePathFromState } from '@/lib/return-path';
import { deleteSession, fetchSession, fetchSsoMeta, postLogin, type IceUser, type LoginRefusal } from '@/lib/sso-api';
import { loadWebSession, saveWebSession } from '@/lib/web-session';
import { SsoView } from './sso-view';

export type SsoState =
  | { kind: 'loading'; label: string }
  | { kind: 'not_configured' }
  | { kind: 'error'; message: string; code?: string }
  | { kind: 'ready'; signedOut: boolean }
  | { kind: 'signed_in'; user: IceUser; expiresAt: string; method: string | null | undefined; overage: boolean }
  | { kind: 'refused'; refusal: LoginRefusal; account: string | null };

/** The response of a popup or silent iframe: hand it to the window that waits for it. */
function isBridgeCallback(): boolean {
  const hasResponse = /[#&?](code|error)=/.test(window.location.hash + window.location.search);
  return hasResponse && (BrowserUtils.isInIframe() || BrowserUtils.isInPopup());
}

/**
 * /sso: the ICE web client's sign-in, and the MSAL redirect target of the console. Reads
 * /sso-meta, signs in with MSAL (auth code + PKCE), sends the access token to /api/login.
 */
export function SsoSignIn() {
  const router = useRouter();
  const [state, setState] = useState<SsoState>({ kind: 'loading', label: 'Loading…' });
  const [meta, setMeta] = useState<SsoMetaDocument | null>(null);
  const msalRef = useRef<IPublicClientApplication | null>(null);
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void (async () => {
      if (isBridgeCallback()) {
        const { broadcastResponseToMainFrame } = await import('@azure/msal-browser/redirect-bridge');
        await broadcastResponseToMainFrame().catch(() => undefined);
        return;
      }
      const found = await fetchSsoMeta();
      if (found.kind === 'not_configured') return setState({ kind: 'not_configured' });
      if (found.kind === 'error') return setState({ kind: 'error', message: found.message });
      setMeta(found.meta);
      const msal = await getMsal(entraConfigFromMeta(found.meta));
      msalRef.current = msal;
      const afterSignOut = sessionStorage.getItem(AFTER_SIGN_OUT_KEY);
      let result;
      try {
        result = await msal.handleRedirectPromise({ navigateToLoginRequestUrl: false });
      } catch (err) {
        const e = err as { errorCode?: string; errorMessage?: string; message?: string };
        return setState({ kind: 'error', message: e.errorMessage || e.message || 'Sign-in failed.', code: e.errorCode });
      }
      if (afterSignOut !== null && !result) {
        sessionStorage.removeItem(AFTER_SIGN_OUT_KEY);
        if (afterSignOut) return router.replace(afterSignOut);
        return setState({ kind: 'ready', signedOut: true });
      }
      if (result) {
        if (result.account) msal.setActiveAccount(result.account);
        const consolePath = consolePathFromState(result.state);
        if (consolePath) {
          setState({ kind: 'loading', label: 'Signed in. Returning to the console…' });
          return router.replace(consolePath);
        }
        setState({ kind: 'loading', label: 'Signing in to the ICE Server…' });
        const claims = readClaims(result.accessToken);
        const method = primarySignInMethod(amrOf(claims));
        const overage = hasGroupsOverage(claims);
        const login = await postLogin(result.accessToken);
        if (!login.ok) return setState({ kind: 'refused', refusal: login.refusal, account: result.account?.username ?? null });
        saveWebSession({ token: login.session.token, expiresAt: login.session.expiresAt, method, overage });
        return setState({ kind: 'signed_in', user: login.user, expiresAt: login.session.expiresAt, method, overage });
      }
      const stored = loadWebSession();
      const current = stored ? await fetchSession(stored.token) : null;
      if (stored && current)
        return setState({ kind: 'signed_in', user: current.user, expiresAt: current.expiresAt, method: stored.method, overage: stored.overage ?? false });
      if (stored) saveWebSession(null);
      setState({ kind: 'ready', signedOut: false });
    })();
  }, [router]);

  /**
   * `another`: "Use another account": Microsoft's account picker, without the domain hint
   * (which signs a domain-joined PC in as its Windows user at once).
   */
  async function signIn(another = false) {
    const msal = msalRef.current;
    if (!msal || !meta) return;
    setState({ kind: 'loading', label: 'Redirecting to Microsoft…' });
    if (another) await msal.loginRedirect({ scopes: [meta.scope], state: 'sso', prompt: 'select_account' });
    else await msal.loginRedirect({ scopes: [meta.scope], state: 'sso', ...(meta.domainHint ? { domainHint: meta.domainHint } : {}) });
  }

  async function signOut() {
    const stored = loadWebSession();
    setState({ kind: 'loading', label: 'Signing out…' });
    if (stored) await deleteSession(stored.token);
    saveWebSession(null);
    const msal = msalRef.current;
    if (msal && activeAccount(msal)) {
      sessionStorage.setItem(AFTER_SIGN_OUT_KEY, '');
      await msal.logoutRedirect({ account: activeAccount(msal) });
      return;
    }
    setState({ kind: 'ready', signedOut: true });
  }

  return <SsoView state={state} meta={meta} onSignIn={signIn} onSignOut={signOut} />;
}
