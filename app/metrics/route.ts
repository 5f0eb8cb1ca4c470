import { metricsHandlers } from '@/server/http/health';

export const { GET, HEAD } = metricsHandlers;
export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';
