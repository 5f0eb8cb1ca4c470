'use client';
import { httpBatchLink, httpLink, splitLink, type HTTPHeaders, type TRPCLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/trpc/root';
import { isUnbatchedPath, MAX_BATCH_SIZE } from '@/shared/trpc-batching';

/** The console's typed tRPC hooks (types only come from the server: nothing server-side is bundled). */
export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type RouterInputs = inferRouterInputs<AppRouter>;

/** The links to /api/trpc: `auth.*` one call per request, everything else in batches of at most MAX_BATCH_SIZE. */
export function consoleLinks(fetch: typeof globalThis.fetch, headers: () => HTTPHeaders | Promise<HTTPHeaders>): TRPCLink<AppRouter>[] {
  return [
    splitLink({
      condition: (op) => isUnbatchedPath(op.path),
      true: httpLink({ url: '/api/trpc', fetch, headers }),
      false: httpBatchLink({ url: '/api/trpc', fetch, headers, maxItems: MAX_BATCH_SIZE }),
    }),
  ];
}
