import { beforeEach, describe, expect, it } from 'vitest';
import { desc } from 'drizzle-orm';
import { openDb } from '@/db/client';
import { loginEvents } from '@/db/schema';
import { freshProcessState } from '@/test/support/process-state';
import { tempDbFile } from '@/test/support/tmp';
import { retryAfterSeconds } from '@/server/sessions/rate-limit';
import { recordRefusedRequest } from './refusals';

describe('recordRefusedRequest', () => {
  beforeEach(freshProcessState);
  it('writes one refused history row with the status of its reason, and counts it against the address', () => {
    const db = openDb(tempDbFile());
    const now = Date.now();
    recordRefusedRequest(db, 'missing_token', '192.0.2.77', 'curl/8', now);
    expect(db.select().from(loginEvents).orderBy(desc(loginEvents.id)).get()).toMatchObject({
      outcome: 'refused',
      reason: 'missing_token',
      status: 400,
      ip: '192.0.2.77',
      userAgent: 'curl/8',
      ts: now,
    });
    recordRefusedRequest(db, 'request_too_large', '192.0.2.77', null, now);
    expect(db.select().from(loginEvents).orderBy(desc(loginEvents.id)).get()).toMatchObject({ reason: 'request_too_large', status: 413 });
    expect(retryAfterSeconds(db, '192.0.2.77', 2, now)).toBe(60);
    expect(retryAfterSeconds(db, '192.0.2.77', 3, now)).toBe(0);
  });
  it('still counts the attempt when the history cannot be written', () => {
    const db = openDb(tempDbFile());
    db.$client.close();
    const now = Date.now();
    expect(() => recordRefusedRequest(db, 'malformed_request', '192.0.2.78', null, now)).not.toThrow();
    expect(retryAfterSeconds(db, '192.0.2.78', 1, now)).toBe(60);
  });
});
