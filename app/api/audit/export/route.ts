export { GET } from '@/server/http/audit-export';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';
