import { readyzHandlers } from '@/server/http/health';

export const { GET, HEAD } = readyzHandlers;
export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';
