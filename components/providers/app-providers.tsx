'use client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, TRPCClientError } from '@trpc/client';
import { useState, type ReactNode } from 'react';
import { currentAccessToken } from '@/lib/access-token';
import { consoleFetch, isOfflineError, isUnreachableError } from '@/lib/trpc-errors';
import { consoleLinks, TRPCProvider } from '@/lib/trpc';
import type { AppRouter } from '@/server/trpc/root';

/** The console API's CSRF header: mutations with the cookie session need it (same origin only). */
const CSRF_HEADER = 'x-ice-sso-csrf';

function httpStatusOf(error: unknown): number | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data = error.data as { httpStatus?: number } | undefined;
  return data?.httpStatus ?? null;
}

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        refetchOnWindowFocus: false,
        // fail at once when offline (and say so) instead of pausing with "Loading…" for ever;
        // queries that failed refetch by themselves when the network is back
        networkMode: 'always',
        // 4xx answers (not signed in, no role, bad input) do not get better by asking again;
        // offline cannot; a proxy's error page gets one more try
        retry: (count, error) => {
          if (isOfflineError(error)) return false;
          if (isUnreachableError(error)) return count < 1;
          const status = httpStatusOf(error);
          return (status === null || status >= 500) && count < 2;
        },
      },
      mutations: { networkMode: 'always' },
    },
  });
}

/** React Query and the typed tRPC client for every page (console, /setup). */
export function AppProviders({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: consoleLinks(consoleFetch, async () => {
        const headers: Record<string, string> = { [CSRF_HEADER]: '1' };
        const token = await currentAccessToken();
        if (token) headers.authorization = `Bearer ${token}`;
        return headers;
      }),
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}

export { httpStatusOf };
