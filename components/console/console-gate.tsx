'use client';
import type { IPublicClientApplication } from '@azure/msal-browser';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, type ReactNode } from 'react';
import { setAccessTokenSource } from '@/lib/access-token';
import { preferConsoleCredential } from '@/lib/console-credential';
import { activeAccount, msalSignOut, type EntraClientConfig } from '@/lib/msal';
import { useTRPC } from '@/lib/trpc';
import { Alert } from '@/components/ui/alert';
import { Loading } from '@/components/ui/loading';
import { ConsoleSessionProvider, type ConsoleSession } from './console-context';
import { ConsoleShell } from './console-shell';
import { NoAccess } from './no-access';
import { SignInPage } from './sign-in-page';
import { Centered } from './console-root';

/** Who is calling (`auth.me`) decides what the console shows: sign-in, "no access", or the pages. */
export function ConsoleGate({ entra, msal, children }: { entra: EntraClientConfig | null; msal: IPublicClientApplication | null; children: ReactNode }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: 30_000 }));
  const signOutMutation = useMutation(trpc.auth.signOut.mutationOptions());

  const signOut = useCallback(async () => {
    const kind = me.data?.actor?.kind;
    await signOutMutation.mutateAsync().catch(() => undefined);
    preferConsoleCredential(null);
    if (kind === 'entra' && msal) {
      setAccessTokenSource(null);
      await msalSignOut(msal, '/');
      return;
    }
    queryClient.clear();
  }, [me.data, msal, queryClient, signOutMutation]);

  const actor = me.data?.actor ?? null;
  const session = useMemo<ConsoleSession | null>(
    () => (actor ? { actor, isAdmin: actor.roles.includes('admin'), entra, msal, signOut } : null),
    [actor, entra, msal, signOut],
  );

  if (me.isPending) return <Centered><Loading label="Checking who you are…" /></Centered>;
  if (me.isError) {
    return (
      <Centered>
        <Alert tone="error" title="The console cannot reach the server.">
          {me.error.message}
        </Alert>
      </Centered>
    );
  }
  if (!session) {
    const microsoftAccount = msal ? activeAccount(msal)?.username ?? null : null;
    return <SignInPage entra={entra} msal={msal} setupRequired={me.data.setupRequired} authProblem={me.data.authProblem} microsoftAccount={microsoftAccount} />;
  }
  if (session.actor.roles.length === 0) return <NoAccess actor={session.actor} onSignOut={signOut} />;
  return (
    <ConsoleSessionProvider value={session}>
      <ConsoleShell>{children}</ConsoleShell>
    </ConsoleSessionProvider>
  );
}
