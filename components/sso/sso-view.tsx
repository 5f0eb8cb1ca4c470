import type { SsoMetaDocument } from '@/server/settings/document';
import { reasons, isReasonCode } from '@/shared/login-reasons';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Loading } from '@/components/ui/loading';
import { Time } from '@/components/ui/time';
import { MicrosoftLogo } from './microsoft-logo';
import { ProfileCard } from './profile-card';
import type { SsoState } from './sso-sign-in';

/** What /sso shows in each state; all logic is in SsoSignIn. */
export function SsoView({
  state,
  meta,
  onSignIn,
  onSignOut,
}: {
  state: SsoState;
  meta: SsoMetaDocument | null;
  onSignIn: (another?: boolean) => void;
  onSignOut: () => void;
}) {
  return (
    <main className="mx-auto flex min-h-screen max-w-2xl flex-col justify-center px-4 py-10">
      <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <p className="text-sm font-medium text-brand-700">ICE Server</p>
        <h1 className="mt-1 text-2xl font-semibold">{state.kind === 'signed_in' ? 'You are signed in' : 'Sign in'}</h1>
        <div className="mt-6 space-y-5" aria-live="polite">
          <Body state={state} meta={meta} onSignIn={onSignIn} onSignOut={onSignOut} />
        </div>
      </div>
      <p className="mt-4 text-center text-xs text-slate-600">
        Administrators use this page as a test sign-in.{' '}
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- a full load: the console starts its own MSAL instance */}
        <a className="underline" href="/">
          Open the console
        </a>
      </p>
    </main>
  );
}

function SignInButton({ onSignIn }: { onSignIn: (another?: boolean) => void }) {
  return (
    <Button variant="primary" onClick={() => onSignIn()} className="w-full sm:w-auto">
      <MicrosoftLogo />
      Sign in with Microsoft Entra ID
    </Button>
  );
}

/** Microsoft's account picker, without the domain hint that signs a domain-joined PC in as its Windows user. */
function AnotherAccountButton({ onSignIn }: { onSignIn: (another?: boolean) => void }) {
  return (
    <Button onClick={() => onSignIn(true)} className="w-full sm:w-auto">
      Use another account
    </Button>
  );
}

function Body({
  state,
  meta,
  onSignIn,
  onSignOut,
}: {
  state: SsoState;
  meta: SsoMetaDocument | null;
  onSignIn: (another?: boolean) => void;
  onSignOut: () => void;
}) {
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
          {meta ? (
            <div className="flex flex-wrap gap-2">
              <SignInButton onSignIn={onSignIn} />
              <AnotherAccountButton onSignIn={onSignIn} />
            </div>
          ) : null}
        </>
      );
    case 'ready':
      return (
        <>
          {state.signedOut ? <Alert tone="success">You are signed out.</Alert> : null}
          <p className="text-sm text-slate-700">Use your organization&apos;s Microsoft account to sign in to the ICE Server.</p>
          <div className="flex flex-wrap gap-2">
            <SignInButton onSignIn={onSignIn} />
            <AnotherAccountButton onSignIn={onSignIn} />
          </div>
        </>
      );
    case 'signed_in':
      return (
        <>
          <ProfileCard
            user={state.user}
            expiresAt={state.expiresAt}
            method={state.method}
            overage={state.overage}
            importsGroups={meta?.importUserGroups ?? true}
          />
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
            <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5" aria-label="Details for your administrator">
              <dt className="font-medium">Reason code</dt>
              <dd>
                <code className="font-semibold">{refusal.reason}</code> · HTTP {refusal.status} <code>{refusal.error}</code>
              </dd>
              <dt className="font-medium">Time</dt>
              <dd>
                <Time value={refusal.at} />
              </dd>
              {refusal.requestId ? (
                <>
                  <dt className="font-medium">Request ID</dt>
                  <dd>
                    <code className="break-all">{refusal.requestId}</code>
                  </dd>
                </>
              ) : null}
              {state.account ? (
                <>
                  <dt className="font-medium">Microsoft account</dt>
                  <dd className="break-all">{state.account}</dd>
                </>
              ) : null}
            </dl>
            <p className="mt-2 text-xs">
              Asking an administrator for help? Give them {refusal.requestId ? 'the request ID, ' : ''}the time and the reason code: they find this attempt in
              the console’s login history.
            </p>
          </Alert>
          <div className="flex flex-wrap gap-2">
            <SignInButton onSignIn={onSignIn} />
            <AnotherAccountButton onSignIn={onSignIn} />
            <Button onClick={onSignOut}>Sign out of Microsoft</Button>
          </div>
        </>
      );
    }
  }
}
