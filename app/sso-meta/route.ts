export { GET, HEAD, OPTIONS } from '@/server/http/sso-meta';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';
