import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { openDb } from '@/db/client';
import { groups } from '@/db/schema';
import { writeTransaction } from '@/db/transaction';
import { tempDbFile } from '@/test/support/tmp';
import { LAST_SEEN_STEP_MS, membershipIds, membershipsOf, replaceMemberships } from './groups';
import { seedUser } from './test-seed';

const G1 = '00000001-0000-4000-8000-000000000000';
const G2 = '00000002-0000-4000-8000-000000000000';
const T0 = 1_800_000_000_000;

describe('replaceMemberships: a login makes the user’s memberships those of its token', () => {
  it('joins the new groups, leaves the others, creates groups on first sight', () => {
    const db = openDb(tempDbFile());
    const user = seedUser(db, { displayName: 'M' });
    writeTransaction(db, () => replaceMemberships(db, user.id, [G1, G2], T0));
    expect(membershipIds(db, user.id).sort()).toEqual([G1, G2]);
    writeTransaction(db, () => replaceMemberships(db, user.id, [G2], T0 + 1));
    expect(membershipIds(db, user.id)).toEqual([G2]);
    writeTransaction(db, () => replaceMemberships(db, user.id, [], T0 + 2));
    expect(membershipIds(db, user.id)).toEqual([]);
    expect(
      db
        .select({ id: groups.id })
        .from(groups)
        .all()
        .map((g) => g.id)
        .sort(),
    ).toEqual([G1, G2]);
  });

  it('moves a group’s last_seen_at at most once a minute (60 s), never back', () => {
    const db = openDb(tempDbFile());
    const user = seedUser(db, { displayName: 'M' });
    const seen = () => db.select({ at: groups.lastSeenAt }).from(groups).where(eq(groups.id, G1)).get()!.at;
    const login = (at: number) => writeTransaction(db, () => replaceMemberships(db, user.id, [G1], at));
    expect(LAST_SEEN_STEP_MS).toBe(60_000);
    login(T0);
    expect(seen()).toBe(T0);
    login(T0 + 59_999);
    expect(seen()).toBe(T0);
    login(T0 + 60_000);
    expect(seen()).toBe(T0 + 60_000);
    // a clock that went back never moves it backwards
    login(T0);
    expect(seen()).toBe(T0 + 60_000);
    // a group created without it (the console, a seed) gets it at the next sign-in that names it
    db.update(groups).set({ lastSeenAt: null }).where(eq(groups.id, G1)).run();
    login(T0 + 60_001);
    expect(seen()).toBe(T0 + 60_001);
  });

  it('returns the memberships it leaves, named and in the order membershipsOf reads them: unchanged, changed, emptied, and for a new user', () => {
    const db = openDb(tempDbFile());
    const user = seedUser(db, { displayName: 'M' });
    const G3 = '00000003-0000-4000-8000-000000000000';
    const sync = (ids: string[], at: number, isNew = false) => writeTransaction(db, () => replaceMemberships(db, user.id, ids, at, { isNew }));
    expect(sync([G2, G1], T0)).toEqual([
      { id: G1, name: null },
      { id: G2, name: null },
    ]);
    db.update(groups).set({ displayName: 'Zulu' }).where(eq(groups.id, G1)).run();
    // the same groups again (the common sign-in): named, ordered by name else ID, nothing changed
    expect(sync([G1, G2], T0 + 1)).toEqual([
      { id: G2, name: null },
      { id: G1, name: 'Zulu' },
    ]);
    expect(sync([G1, G2], T0 + 2)).toEqual(membershipsOf(db, user.id));
    // one joined and one left in the same sign-in
    expect(sync([G1, G3], T0 + 3).map((g) => g.id)).toEqual([G3, G1]);
    expect(membershipIds(db, user.id).sort()).toEqual([G1, G3]);
    // a repeated ID is not taken for an unchanged set
    expect(sync([G1, G1], T0 + 4).map((g) => g.id)).toEqual([G1]);
    expect(sync([], T0 + 5)).toEqual([]);
    expect(membershipIds(db, user.id)).toEqual([]);
    // a user the login just created has nothing to read or leave: the token's groups are joined
    const fresh = seedUser(db, { displayName: 'N' });
    expect(writeTransaction(db, () => replaceMemberships(db, fresh.id, [G2], T0 + 6, { isNew: true }))).toEqual([{ id: G2, name: null }]);
    expect(membershipIds(db, fresh.id)).toEqual([G2]);
  });
});
