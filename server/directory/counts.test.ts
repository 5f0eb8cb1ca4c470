import { describe, expect, it } from 'vitest';
import { openDb } from '@/db/client';
import { tempDbFile } from '@/test/support/tmp';
import { directoryCounts } from './counts';
import { recentSignIns } from './sign-ins';
import { seedLogin, seedUser } from './test-seed';

describe('directoryCounts', () => {
  it('counts users by status, groups, and the last 24 hours of sign-ins and refusals', () => {
    const db = openDb(tempDbFile());
    const now = Date.now();
    expect(directoryCounts(db, now)).toEqual({ users: { total: 0, active: 0, disabled: 0 }, groups: 0, signIns24h: { attempts: 0, accepted: 0, refused: 0 } });
    seedUser(db, { groups: ['aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002'] });
    seedUser(db, { groups: ['aaaaaaaa-0000-4000-8000-000000000002'] });
    seedUser(db, { status: 'disabled' });
    for (const ts of [now - 1000, now - 23 * 3600_000, now - 25 * 3600_000]) seedLogin(db, { ts });
    for (const ts of [now - 5000, now - 48 * 3600_000]) seedLogin(db, { ts, outcome: 'refused', reason: 'token_expired', status: 401 });
    expect(directoryCounts(db, now)).toEqual({ users: { total: 3, active: 2, disabled: 1 }, groups: 2, signIns24h: { attempts: 3, accepted: 2, refused: 1 } });
  });
});

describe('recentSignIns', () => {
  it('lists the newest attempts first, of everyone or of one user', () => {
    const db = openDb(tempDbFile());
    const now = Date.now();
    const a = seedUser(db);
    for (let i = 0; i < 12; i++) seedLogin(db, { ts: now - i * 1000, userId: i % 2 ? a.id : null, username: `u${i}` });
    expect(recentSignIns(db, { limit: 10 }).map((s) => s.username)).toEqual(['u0', 'u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8', 'u9']);
    expect(recentSignIns(db, { userId: a.id, limit: 3 }).map((s) => s.username)).toEqual(['u1', 'u3', 'u5']);
  });
});
