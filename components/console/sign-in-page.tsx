'use client';
import { preferConsoleCredential } from '@/lib/console-credential';
import type { IPublicClientApplication } from '@azure/msal-browser';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { consoleSignIn, msalSignOut, type EntraClientConfig } from '@/lib/msal';
import { useTRPC } from '@/lib/trpc';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { MicrosoftLogo } from '@/components/sso/microsoft-logo';
import { Centered } from './centered';

const SIGNED_OUT_KEY = 'ice-sso.signed-out';

/** Called by the console's sign-out: the sign-in page it lands on then says so. */
export function markSignedOut(): void {
  sessionStorage.setItem(SIGNED_OUT_KEY, '1');
}

/** Not signed in: Microsoft Entra ID (when configured) or the local break-glass admin. */
export function SignInPage({
  entra,
  msal,
  setupRequired,
  authProblem,
  microsoftAccount,
}: {
  entra: EntraClientConfig | null;
  msal: IPublicClientApplication | null;
  setupRequired: boolean;
  authProblem: string | null;
  microsoftAccount: string | null;
}) {
  const [redirecting, setRedirecting] = useState(false);
  const [signedOut, setSignedOut] = useState(false);
  useEffect(() => {
    // shown once, on the page the sign-out lands on (after Microsoft's sign-out page too)
    if (sessionStorage.getItem(SIGNED_OUT_KEY)) {
      sessionStorage.removeItem(SIGNED_OUT_KEY);
      // eslint-disable-next-line react-hooks/set-state-in-effect -- sessionStorage exists only in the browser, after hydration
      setSignedOut(true);
    }
  }, []);
  return (
    <Centered>
      <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <p className="text-sm font-medium text-brand-700">ICE SSO</p>
        <h1 className="mt-1 text-2xl font-semibold">Sign in to the console</h1>
        <div className="mt-5 space-y-5">
          {signedOut && !authProblem ? <Alert tone="success">You have signed out of the console.</Alert> : null}
          {authProblem ? (
            <Alert
              tone="error"
              title={microsoftAccount ? `Microsoft signed you in as ${microsoftAccount}, but this server refused the token.` : 'Your sign-in was refused.'}
            >
              <p>{authProblem}</p>
              {msal && microsoftAccount ? (
                <Button size="sm" className="mt-2" onClick={() => void msalSignOut(msal, '/')}>
                  Sign out of Microsoft
                </Button>
              ) : null}
            </Alert>
          ) : null}
          {entra && msal ? (
            <Button
              variant="primary"
              className="w-full"
              busy={redirecting}
              onClick={() => {
                setRedirecting(true);
                // the whole path, query included: a shared link's filters survive the round trip to Microsoft
                void consoleSignIn(msal, entra, window.location.pathname + window.location.search);
              }}
            >
              <MicrosoftLogo />
              Sign in with Microsoft Entra ID
            </Button>
          ) : (
            <Alert tone="info">Sign-in with Microsoft Entra ID is not configured yet. Use the local administrator account.</Alert>
          )}
          <LocalSignIn msal={msal} setupRequired={setupRequired} />
        </div>
      </div>
    </Centered>
  );
}

function LocalSignIn({ msal, setupRequired }: { msal: IPublicClientApplication | null; setupRequired: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation(
    trpc.auth.localSignIn.mutationOptions({
      onSuccess: async () => {
        // the server prefers a bearer token: stop sending the Microsoft account's
        preferConsoleCredential('local');
        await queryClient.invalidateQueries();
      },
    }),
  );
  function submit(e: FormEvent) {
    e.preventDefault();
    signIn.mutate({ username, password });
  }
  return (
    <details className="group rounded-lg border border-slate-200 p-4" open={setupRequired || !msal}>
      <summary className="cursor-pointer text-sm font-semibold">Local administrator (break-glass)</summary>
      {setupRequired ? (
        <div className="mt-3">
          <Alert tone="warning" title="No local administrator exists yet.">
            When the server started it printed a one-time setup link (valid for one hour). Lost it? Run{' '}
            <code className="font-semibold">npx ice-sso admin reset</code> on the server for a new link, and open it in this browser.
          </Alert>
        </div>
      ) : null}
      <form onSubmit={submit} className="mt-4 space-y-3" aria-label="Local administrator sign-in">
        <TextField label="User name" name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <div aria-live="polite">{signIn.isError ? <Alert tone="error">{signIn.error.message}</Alert> : null}</div>
        <Button type="submit" busy={signIn.isPending}>
          Sign in with password
        </Button>
      </form>
    </details>
  );
}
