import type { SsoMetaDocument } from '@/server/settings/document';
import { reasons, isReasonCode } from '@/server/entra/reasons';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Loading } from '@/components/ui/loading';
import { MicrosoftLogo } from './microsoft-logo';
import { ProfileCard } from './profile-card';
import type { SsoState } from './sso-sign-in';

/** What /sso shows in each state; all logic is in SsoSignIn. */
export function SsoView({ state, meta, onSignIn, onSignOut }: { state: SsoState; meta: SsoMetaDocument | null; onSignIn: () => void; onSignOut: () => void }) {
  return (
    <main className="mx-auto flex min-h-screen max-w-2xl flex-col justify-center px-4 py-10">
      <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <p className="text-sm font-medium text-brand-700">ICE Server</p>
        <h1 className="mt-1 text-2xl font-semibold">{state.kind === 'signed_in' ? 'You are signed in' : 'Sign in'}</h1>
        <div className="mt-6 space-y-5" aria-live="polite">
          <Body state={state} meta={meta} onSignIn={onSignIn} onSignOut={onSignOut} />
        </div>
      </div>
      <p className="mt-4 text-center text-xs text-slate-500">
        Administrators use this page as a test sign-in. <a className="underline" href="/">Open the console</a>
      </p>
    </main>
  );
}

function SignInButton({ onSignIn }: { onSignIn: () => void }) {
  return (
    <Button variant="primary" onClick={onSignIn} className="w-full sm:w-auto">
      <MicrosoftLogo />
      Sign in with Microsoft Entra ID
    </Button>
  );
}

function Body({ state, meta, onSignIn, onSignOut }: { state: SsoState; meta: SsoMetaDocument | null; onSignIn: () => void; onSignOut: () => void }) {
  switch (state.kind) {
    case 'loading':
      return <Loading label={state.label} />;
    case 'not_configured':
      return (
        <Alert tone="info" title="Sign-in with Entra ID is not configured on this server.">
          An administrator can turn it on in the console under SSO settings.
        </Alert>
      );
    case 'error':
      return (
        <>
          <Alert tone="error" title="Sign-in did not complete.">
            <p>{state.message}</p>
            {state.code ? (
              <p className="mt-1">
                Code: <code>{state.code}</code>
              </p>
            ) : null}
          </Alert>
          {meta ? <SignInButton onSignIn={onSignIn} /> : null}
        </>
      );
    case 'ready':
      return (
        <>
          {state.signedOut ? <Alert tone="success">You are signed out.</Alert> : null}
          <p className="text-sm text-slate-700">Use your organization's Microsoft account to sign in to the ICE Server.</p>
          <SignInButton onSignIn={onSignIn} />
        </>
      );
    case 'signed_in':
      return (
        <>
          <ProfileCard user={state.user} expiresAt={state.expiresAt} method={state.method} />
          <Button onClick={onSignOut}>Sign out</Button>
        </>
      );
    case 'refused': {
      const { refusal } = state;
      const words = isReasonCode(refusal.reason) ? reasons[refusal.reason].message : refusal.message;
      return (
        <>
          <Alert tone="error" title="The ICE Server refused this sign-in.">
            <p>{words}</p>
            <p className="mt-2">
              Reason code: <code className="font-semibold">{refusal.reason}</code> · HTTP {refusal.status} <code>{refusal.error}</code>
            </p>
            {state.account ? <p className="mt-1">Microsoft account: {state.account}</p> : null}
          </Alert>
          <div className="flex flex-wrap gap-2">
            <SignInButton onSignIn={onSignIn} />
            <Button onClick={onSignOut}>Sign out of Microsoft</Button>
          </div>
        </>
      );
    }
  }
}
