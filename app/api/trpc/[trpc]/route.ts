import { trpcRoute } from '@/server/http/trpc-door';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = trpcRoute;
export const POST = trpcRoute;
// other methods reach tRPC too, which answers them with its own 405 error JSON
export const PUT = trpcRoute;
export const PATCH = trpcRoute;
export const DELETE = trpcRoute;
