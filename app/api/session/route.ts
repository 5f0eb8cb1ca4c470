export { GET, DELETE } from '@/server/http/session';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';
