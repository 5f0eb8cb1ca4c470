import { describe, expect, it } from 'vitest';
import { tempDbFile, databaseUrlOf } from '@/test/support/tmp';

// this file's process has its own database: set before anything reads the environment
process.env.DATABASE_URL = databaseUrlOf(tempDbFile());

const { getDb } = await import('@/db/client');
const { ssoMetaRoutes } = await import('./sso-meta');

const request = { method: 'GET', path: '/sso-meta', header: () => undefined, clientIp: null, requestId: null, readBody: async () => null };

describe('GET /sso-meta while the database cannot be read', () => {
  it('keeps serving the last document it served, from memory, once the settings cannot be read', async () => {
    const first = await ssoMetaRoutes.GET(request);
    expect(first.status).toBe(404);
    getDb().$client.close();
    // past the settings cache's 500 ms recheck: the settings have to be read again, and cannot
    await new Promise((r) => setTimeout(r, 600));
    const during = await ssoMetaRoutes.GET(request);
    expect(during).toEqual(first);
  });
});
