import { handleTrpcRequest } from '@/server/trpc/http';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = handleTrpcRequest;
export const POST = handleTrpcRequest;
