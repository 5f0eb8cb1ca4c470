import 'server-only';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { createContext } from './context';
import { MAX_BATCH_SIZE } from '@/shared/trpc-batching';
import { appRouter } from './root';

/** The console API endpoint, /api/trpc. */
export function handleTrpcRequest(req: Request): Promise<Response> {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    // a bigger batch is refused whole (400): the console never sends one, see shared/trpc-batching.ts
    maxBatchSize: MAX_BATCH_SIZE,
    createContext: ({ req, resHeaders }) => createContext({ req, resHeaders }),
    responseMeta: () => ({ headers: { 'cache-control': 'no-store' } }),
  });
}
