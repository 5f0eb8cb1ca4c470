import { trpcRoute } from '@/server/http/trpc-door';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = trpcRoute;
export const POST = trpcRoute;
