export { POST, OPTIONS } from '@/server/http/login';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';
