import 'server-only';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { createContext } from './context';
import { appRouter } from './root';

/** The console API endpoint, /api/trpc. */
export function handleTrpcRequest(req: Request): Promise<Response> {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: ({ req, resHeaders }) => createContext({ req, resHeaders }),
    responseMeta: () => ({ headers: { 'cache-control': 'no-store' } }),
  });
}
