'use client';
import type { IPublicClientApplication } from '@azure/msal-browser';
import { MsalProvider } from '@azure/msal-react';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { setAccessTokenSource } from '@/lib/access-token';
import { usesLocalCredential } from '@/lib/console-credential';
import { acquireConsoleToken, getMsal, type EntraClientConfig } from '@/lib/msal';
import { useTRPC } from '@/lib/trpc';
import { Alert } from '@/components/ui/alert';
import { Loading } from '@/components/ui/loading';
import { QueryError } from '@/components/ui/query-error';
import { Centered } from './centered';
import { ConsoleGate } from './console-gate';

/**
 * Boots the console: reads the MSAL configuration from the server (`auth.config`), starts
 * MSAL when Entra ID is configured and lets the tRPC link take tokens from it, then hands
 * over to the gate that decides between sign-in, "no access" and the console.
 */
export function ConsoleRoot({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const config = useQuery(trpc.auth.config.queryOptions(undefined, { staleTime: Infinity }));
  const raw = config.data?.entra;
  const entra = useMemo<EntraClientConfig | null>(() => (raw ? { ...raw, domainHint: raw.domainHint ?? null } : null), [raw]);
  if (config.isPending)
    return (
      <Centered>
        <Loading label="Starting the console…" />
      </Centered>
    );
  if (config.isError) {
    return (
      <Centered>
        <QueryError title="The console cannot reach the server." error={config.error} busy={config.isFetching} onRetry={() => void config.refetch()} />
      </Centered>
    );
  }
  if (!entra) return <NoMsal>{children}</NoMsal>;
  return <WithMsal entra={entra}>{children}</WithMsal>;
}

function NoMsal({ children }: { children: ReactNode }) {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    setAccessTokenSource(null);
    // eslint-disable-next-line react-hooks/set-state-in-effect -- render the gate only after the token source is cleared
    setReady(true);
  }, []);
  return ready ? (
    <ConsoleGate entra={null} msal={null}>
      {children}
    </ConsoleGate>
  ) : null;
}

function WithMsal({ entra, children }: { entra: EntraClientConfig; children: ReactNode }) {
  const [msal, setMsal] = useState<IPublicClientApplication | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    (async () => {
      const instance = await getMsal(entra);
      // MsalProvider calls handleRedirectPromise() as well; the first call's promise is shared
      await instance.handleRedirectPromise().catch(() => null);
      setAccessTokenSource(() => (usesLocalCredential() ? Promise.resolve(null) : acquireConsoleToken(instance, entra)));
      if (live) setMsal(instance);
    })().catch((err: Error) => live && setFailure(err.message));
    return () => {
      live = false;
    };
  }, [entra]);
  if (failure) {
    return (
      <Centered>
        <Alert tone="error" title="Microsoft sign-in could not start.">
          {failure}
        </Alert>
      </Centered>
    );
  }
  if (!msal)
    return (
      <Centered>
        <Loading label="Starting the console…" />
      </Centered>
    );
  return (
    <MsalProvider instance={msal}>
      <ConsoleGate entra={entra} msal={msal}>
        {children}
      </ConsoleGate>
    </MsalProvider>
  );
}
