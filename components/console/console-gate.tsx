'use client';
import type { IPublicClientApplication } from '@azure/msal-browser';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, type ReactNode } from 'react';
import { setAccessTokenSource } from '@/lib/access-token';
import { preferConsoleCredential } from '@/lib/console-credential';
import { activeAccount, msalSignOut, type EntraClientConfig } from '@/lib/msal';
import { useTRPC } from '@/lib/trpc';
import { QueryError } from '@/components/ui/query-error';
import { OfflineBanner } from '@/components/ui/offline-banner';
import { Loading } from '@/components/ui/loading';
import { ConsoleSessionProvider, type ConsoleSession } from './console-context';
import { ConsoleShell } from './console-shell';
import { NoAccess } from './no-access';
import { markSignedOut, SignInPage } from './sign-in-page';
import { Centered } from './centered';

/** The account whose console sign-in this tab has reported (auth.signedIn). */
const SIGNED_IN_KEY = 'ice-sso.console-signed-in';

/** Who is calling (`auth.me`) decides what the console shows: sign-in, "no access", or the pages. */
export function ConsoleGate({ entra, msal, children }: { entra: EntraClientConfig | null; msal: IPublicClientApplication | null; children: ReactNode }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: 30_000 }));
  const signOutMutation = useMutation(trpc.auth.signOut.mutationOptions());
  const signedIn = useMutation(trpc.auth.signedIn.mutationOptions());
  const signedInMutate = signedIn.mutate;
  const entraName = me.data?.actor?.kind === 'entra' ? me.data.actor.name : null;

  // a Microsoft sign-in to the console is audited once per tab and account: the server
  // records the caller it authenticated (console.sign_in); the client only says "now"
  useEffect(() => {
    if (!entraName || sessionStorage.getItem(SIGNED_IN_KEY) === entraName) return;
    sessionStorage.setItem(SIGNED_IN_KEY, entraName);
    signedInMutate({}, { onError: () => sessionStorage.removeItem(SIGNED_IN_KEY) });
  }, [entraName, signedInMutate]);

  const signOut = useCallback(async () => {
    const kind = me.data?.actor?.kind;
    await signOutMutation.mutateAsync({}).catch(() => undefined);
    sessionStorage.removeItem(SIGNED_IN_KEY);
    preferConsoleCredential(null);
    markSignedOut();
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

  if (me.isPending)
    return (
      <Centered>
        <Loading label="Checking who you are…" />
      </Centered>
    );
  if (me.isError) {
    return (
      <Centered>
        <OfflineBanner />
        <QueryError title="The console cannot reach the server." error={me.error} busy={me.isFetching} onRetry={() => void me.refetch()} />
      </Centered>
    );
  }
  if (!session) {
    const microsoftAccount = msal ? (activeAccount(msal)?.username ?? null) : null;
    return <SignInPage entra={entra} msal={msal} setupRequired={me.data.setupRequired} authProblem={me.data.authProblem} microsoftAccount={microsoftAccount} />;
  }
  if (session.actor.roles.length === 0) return <NoAccess actor={session.actor} onSignOut={signOut} />;
  return (
    <ConsoleSessionProvider value={session}>
      <ConsoleShell>{children}</ConsoleShell>
    </ConsoleSessionProvider>
  );
}
