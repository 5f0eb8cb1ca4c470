import { describe, expect, it } from 'vitest';
import { openDb } from '@/db/client';
import { groups } from '@/db/schema';
import { writeTransaction } from '@/db/transaction';
import { seedUser } from '@/server/directory/test-seed';
import { updateSettings } from '@/server/settings/service';
import { tempDbFile } from '@/test/support/tmp';
import type { Actor } from '@/server/audit/changes';
import { refusalContext } from './refusal-context';

const admin: Actor = { kind: 'cli', name: 'cli' };
const DISPATCH = 'f3b1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const FIELD = '2a6c8e0b-4d1f-4b3a-9e5c-7d8f0a1b2c3e';

describe('refusalContext', () => {
  it('sets the groups required by the settings in force at the time against the groups the user holds', async () => {
    const db = openDb(tempDbFile());
    db.insert(groups).values({ id: DISPATCH, displayName: 'Dispatch', createdAt: 1, updatedAt: 1 }).run();
    const user = seedUser(db, { displayName: 'Megan', groups: [FIELD] });
    writeTransaction(db, () => updateSettings(db, { requiredGroupIds: [DISPATCH] }, admin));
    await new Promise((r) => setTimeout(r, 5));
    const at = Date.now();
    await new Promise((r) => setTimeout(r, 5));
    // a later version does not rewrite history: the attempt was judged by the one before
    writeTransaction(db, () => updateSettings(db, { requiredGroupIds: [FIELD] }, admin));
    const context = refusalContext(db, { ts: at, reason: 'group_required', userId: user.id });
    expect(context.guidance).toMatch(/Compare the groups required with the groups held/);
    expect(context.groupRule!.required).toEqual([{ id: DISPATCH, name: 'Dispatch' }]);
    expect(context.groupRule!.held).toEqual([{ id: FIELD, name: null }]);
  });

  it('gives guidance without group facts for other reasons, and unknown held groups for unknown users', () => {
    const db = openDb(tempDbFile());
    expect(refusalContext(db, { ts: Date.now(), reason: 'token_expired', userId: null })).toEqual({
      guidance: expect.stringMatching(/old token/),
      groupRule: null,
    });
    expect(refusalContext(db, { ts: Date.now(), reason: 'group_required', userId: null }).groupRule!.held).toBeNull();
  });
});
