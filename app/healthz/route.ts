import { healthzHandlers } from '@/server/http/health';

export const { GET, HEAD } = healthzHandlers;
export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';
