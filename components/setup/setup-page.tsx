'use client';
import { preferConsoleCredential } from '@/lib/console-credential';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { PASSWORD_RULES, passwordProblem, USERNAME_RE, USERNAME_RULE } from '@/shared/credential-rules';
import { useTRPC, useTRPCClient } from '@/lib/trpc';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { Loading } from '@/components/ui/loading';

const RESET_HINT = (
  <>
    Run <code className="font-semibold">npx ice-sso admin reset</code> on the server for a new link.
  </>
);

const linkProblems: Record<string, string> = {
  setup_link_used: 'This setup link was already used.',
  setup_link_expired: 'This setup link has expired (links last one hour).',
  setup_link_invalid: 'This setup link is not valid.',
};

/** Reads the token from the URL fragment (never sent to the server in a URL), then asks whether it still works. */
export function SetupPage() {
  const [token, setToken] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the token is in the URL fragment, readable only after hydration
    setToken(new URLSearchParams(window.location.hash.slice(1)).get('token'));
  }, []);
  return (
    <main className="mx-auto flex min-h-screen max-w-lg flex-col justify-center px-4 py-10">
      <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <p className="text-sm font-medium text-brand-700">ICE SSO</p>
        <h1 className="mt-1 text-2xl font-semibold">Set up the local administrator</h1>
        <div className="mt-5 space-y-4" aria-live="polite">
          {token === undefined ? (
            <Loading />
          ) : token ? (
            <CheckedSetup token={token} />
          ) : (
            <Alert tone="error" title="This page needs the setup link printed by the server.">
              {RESET_HINT}
            </Alert>
          )}
        </div>
      </div>
    </main>
  );
}

function CheckedSetup({ token }: { token: string }) {
  const client = useTRPCClient();
  // a mutation: the token goes in a POST body, never in a URL that a proxy would log
  const status = useQuery({ queryKey: ['auth.setupStatus', token], queryFn: () => client.auth.setupStatus.mutate({ token }), staleTime: Infinity });
  if (status.isPending) return <Loading label="Checking the setup link…" />;
  if (status.isError) return <Alert tone="error">{status.error.message}</Alert>;
  if (!status.data.ok) {
    return (
      <Alert tone="error" title={linkProblems[status.data.reason] ?? 'This setup link cannot be used.'}>
        {RESET_HINT}
      </Alert>
    );
  }
  return <SetupForm token={token} purpose={status.data.purpose} />;
}

function SetupForm({ token, purpose }: { token: string; purpose: 'setup' | 'reset' }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [touched, setTouched] = useState(false);
  const complete = useMutation(
    trpc.auth.completeSetup.mutationOptions({
      onSuccess: async () => {
        // this tab now acts as the local admin, even if it also holds a Microsoft account
        preferConsoleCredential('local');
        history.replaceState(null, '', '/setup');
        await queryClient.invalidateQueries();
        router.replace('/');
      },
    }),
  );
  const usernameError = touched && !USERNAME_RE.test(username.trim()) ? `User name: ${USERNAME_RULE}.` : null;
  const problem = passwordProblem(password, username.trim());
  const passwordError = touched && problem ? `Password ${problem}.` : null;
  const confirmError = touched && confirm !== password ? 'The two passwords differ.' : null;

  function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (!USERNAME_RE.test(username.trim()) || problem || confirm !== password) return;
    complete.mutate({ token, username: username.trim(), password });
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-label="Create the local administrator">
      <p className="text-sm text-slate-700">
        {purpose === 'reset'
          ? 'This link sets a new password for the local administrator (or creates one). Existing sessions of that account end.'
          : 'The local administrator is the break-glass account: use it to configure Entra ID sign-in, and when Entra ID is misconfigured.'}
      </p>
      <TextField
        label="User name"
        name="username"
        autoComplete="username"
        required
        value={username}
        onChange={(e) => setUsername(e.target.value)}
        help={USERNAME_RULE}
        error={usernameError}
      />
      <TextField
        label="Password"
        name="new-password"
        type="password"
        autoComplete="new-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={passwordError}
      />
      <div>
        <p id="password-rules" className="text-xs font-medium text-slate-700">
          The password:
        </p>
        <ul aria-labelledby="password-rules" className="mt-1 list-disc pl-5 text-xs text-slate-600">
          {PASSWORD_RULES.map((rule) => (
            <li key={rule}>{rule}</li>
          ))}
        </ul>
      </div>
      <TextField
        label="Confirm password"
        name="confirm-password"
        type="password"
        autoComplete="new-password"
        required
        value={confirm}
        onChange={(e) => setConfirm(e.target.value)}
        error={confirmError}
      />
      {complete.isError ? <Alert tone="error">{complete.error.message}</Alert> : null}
      <Button type="submit" variant="primary" busy={complete.isPending}>
        Create administrator and sign in
      </Button>
    </form>
  );
}
