import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { writeTransaction } from '@/db/transaction';
import { chainHash, GENESIS_HASH } from './chain';
import { auditKey } from './key';
import { getLoginEvent, listLoginEvents } from './login-history';
import {
  flushLoginSummaries,
  MAX_OPEN_SUMMARIES,
  pendingSummarisedAttempts,
  summariseLoginRefusal,
  summaryAddressGroup,
  sweepLoginSummaries,
  SUMMARY_WINDOW_MS,
} from './login-summaries';
import { loginHashFields, recordLoginEvent } from './logins';
import { getLoginStats } from './stats';
import { BASE, freshDb } from './test-fixtures';
import { verifyAuditChain } from './verify';
import { rawConnection, onPostgres } from '@/test/support/test-database';

const limited = { reason: 'too_many_attempts', status: 429, ip: '203.0.113.7', userAgent: 'flood/1' } as const;
const rows = (db: Db) =>
  db.$client.prepare('SELECT id, ts, reason, ip, user_agent AS userAgent, attempts, last_ts AS lastTs FROM login_events ORDER BY id').all() as Array<
    Record<string, unknown>
  >;

afterEach(() => {
  // nothing from one test leaks into the next one's database
  flushLoginSummaries();
});

describe('login summaries', () => {
  it('counts 1,000 rate-limited attempts of one address in memory and appends one row with the count, first and last time', async () => {
    const { db } = freshDb();
    for (let i = 0; i < 1000; i++) summariseLoginRefusal(db, limited, BASE + i * 10);
    expect(rows(db)).toHaveLength(0);
    expect(pendingSummarisedAttempts(db)).toBe(1000);
    expect(sweepLoginSummaries(BASE + SUMMARY_WINDOW_MS - 1)).toBe(0);
    expect(sweepLoginSummaries(BASE + SUMMARY_WINDOW_MS)).toBe(1);
    expect(rows(db)).toEqual([{ id: 1, ts: BASE, reason: 'too_many_attempts', ip: '203.0.113.7', userAgent: 'flood/1', attempts: 1000, lastTs: BASE + 9990 }]);
    expect(pendingSummarisedAttempts(db)).toBe(0);
    expect(await verifyAuditChain(db, 'login')).toEqual({ stream: 'login', verified: 1 });
  });

  it('closes a window when the next attempt of its key comes after it, and opens a new one', () => {
    const { db } = freshDb();
    summariseLoginRefusal(db, limited, BASE);
    summariseLoginRefusal(db, limited, BASE + 30_000);
    summariseLoginRefusal(db, limited, BASE + SUMMARY_WINDOW_MS);
    expect(rows(db)).toMatchObject([{ ts: BASE, attempts: 2, lastTs: BASE + 30_000 }]);
    expect(flushLoginSummaries(db)).toBe(1);
    expect(rows(db)).toMatchObject([{ attempts: 2 }, { ts: BASE + SUMMARY_WINDOW_MS, attempts: 1, lastTs: BASE + SUMMARY_WINDOW_MS }]);
  });

  it('keeps one row per address and reason; an IPv6 /64 is one address, named by its network when its hosts differ', () => {
    const { db } = freshDb();
    summariseLoginRefusal(db, limited, BASE);
    summariseLoginRefusal(db, { ...limited, ip: '198.51.100.9' }, BASE + 1);
    summariseLoginRefusal(db, { ...limited, reason: 'missing_token', status: 400 }, BASE + 2);
    summariseLoginRefusal(db, { ...limited, ip: '2001:db8:1:2::1' }, BASE + 3);
    summariseLoginRefusal(db, { ...limited, ip: '2001:db8:1:2:ffff::9', userAgent: 'other' }, BASE + 4);
    summariseLoginRefusal(db, { ...limited, ip: '2001:db8:1:3::1' }, BASE + 5);
    expect(flushLoginSummaries()).toBe(5);
    expect(rows(db).map((r) => [r.ip, r.reason, r.attempts, r.userAgent])).toEqual([
      ['203.0.113.7', 'too_many_attempts', 1, 'flood/1'],
      ['198.51.100.9', 'too_many_attempts', 1, 'flood/1'],
      ['203.0.113.7', 'missing_token', 1, 'flood/1'],
      ['2001:db8:1:2::/64', 'too_many_attempts', 2, null],
      ['2001:db8:1:3::1', 'too_many_attempts', 1, 'flood/1'],
    ]);
  });

  // SQLite reopens its file; a closed PostgreSQL bridge has nothing to reopen
  it.skipIf(onPostgres)(
    'writes open windows through a connection of its own when the handle was already closed (a shutdown that closed the database first)',
    async () => {
      const { db, file } = freshDb();
      for (let i = 0; i < 3; i++) summariseLoginRefusal(db, limited, BASE + i);
      db.$client.close();
      expect(flushLoginSummaries()).toBe(1);
      const raw = rawConnection(file);
      expect(raw.prepare('SELECT attempts, last_ts AS lastTs FROM login_events').all()).toEqual([{ attempts: 3, lastTs: BASE + 2 }]);
      raw.close();
    },
  );

  it('names address groups: IPv4 as it is, IPv6 by /64, IPv4-mapped IPv6 as IPv4', () => {
    expect(summaryAddressGroup('203.0.113.7')).toBe('203.0.113.7');
    expect(summaryAddressGroup('2001:0db8:0000:0001:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:0:1::/64');
    expect(summaryAddressGroup('::1')).toBe('0:0:0:0::/64');
    expect(summaryAddressGroup('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(summaryAddressGroup(null)).toBeNull();
  });

  // the bound is kept in memory, the same on both databases; its 10,001 write transactions take minutes over the PostgreSQL bridge
  it.skipIf(onPostgres)(`stays bounded at ${MAX_OPEN_SUMMARIES} open windows: the oldest is written early and no attempt is lost`, () => {
    const { db } = freshDb();
    for (let i = 0; i <= MAX_OPEN_SUMMARIES; i++) summariseLoginRefusal(db, { ...limited, ip: `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}` }, BASE + i);
    expect(rows(db)).toMatchObject([{ ip: '10.0.0.0', attempts: 1 }]);
    expect(pendingSummarisedAttempts(db)).toBe(MAX_OPEN_SUMMARIES);
    flushLoginSummaries(db);
    expect(db.$client.prepare('SELECT count(*) AS n, sum(attempts) AS a FROM login_events').get()).toEqual({
      n: MAX_OPEN_SUMMARIES + 1,
      a: MAX_OPEN_SUMMARIES + 1,
    });
  });

  it('lists and gets a summary row with summary, attempts and lastTs; ordinary rows say 1 and null', () => {
    const { db } = freshDb();
    writeTransaction(db, () => recordLoginEvent(db, { outcome: 'refused', reason: 'malformed_token', status: 401, ip: '203.0.113.7' }, BASE));
    for (let i = 0; i < 7; i++) summariseLoginRefusal(db, limited, BASE + 1 + i);
    flushLoginSummaries(db);
    const { items } = listLoginEvents(db);
    expect(items.map((e) => [e.reason, e.summary, e.attempts, e.lastTs])).toEqual([
      ['too_many_attempts', true, 7, BASE + 7],
      ['malformed_token', false, 1, null],
    ]);
    expect(getLoginEvent(db, items[0]!.id)).toMatchObject({ summary: true, attempts: 7, lastTs: BASE + 7, ts: BASE + 1 });
  });

  it('counts attempts, not rows, in the statistics', () => {
    const { db } = freshDb();
    const now = BASE + 3_600_000;
    writeTransaction(db, () => recordLoginEvent(db, { outcome: 'accepted', reason: null, status: 200, amr: ['pwd'] }, BASE + 10));
    for (let i = 0; i < 500; i++) summariseLoginRefusal(db, limited, BASE + 20 + i);
    flushLoginSummaries(db);
    const stats = getLoginStats(db, now);
    expect(stats.last24h).toMatchObject({ attempts: 501, accepted: 1, refused: 500 });
    expect(stats.refusalRate.last24h).toBeCloseTo(500 / 501);
    const hour = stats.hours.find((h) => h.start === BASE)!;
    expect(hour).toMatchObject({ accepted: 1, refused: 500, methods: { pwd: 1 } });
  });
});

describe('the chain over summary rows', () => {
  /** A row as the code before summary rows chained it: 16 fields, the new columns left at their defaults. */
  function insertOldFormatRow(db: Db, ts: number): void {
    const key = auditKey(db);
    const last = db.$client.prepare('SELECT hash FROM login_events ORDER BY id DESC LIMIT 1').get() as { hash: string } | undefined;
    const prev = last?.hash ?? GENESIS_HASH;
    const fields = [
      ts,
      'refused',
      'bad_signature',
      401,
      null,
      null,
      null,
      'old@contoso.com',
      null,
      null,
      '2.0',
      null,
      null,
      `uti-${ts}`,
      '192.0.2.1',
      'old-agent',
    ];
    db.$client
      .prepare(
        'INSERT INTO login_events (ts, outcome, reason, status, username, token_version, uti, ip, user_agent, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(ts, 'refused', 'bad_signature', 401, 'old@contoso.com', '2.0', `uti-${ts}`, '192.0.2.1', 'old-agent', prev, chainHash(key, prev, fields));
  }

  function mixedChain() {
    const { db, file } = freshDb();
    insertOldFormatRow(db, BASE);
    insertOldFormatRow(db, BASE + 1);
    for (let i = 0; i < 40; i++) summariseLoginRefusal(db, limited, BASE + 2 + i);
    flushLoginSummaries(db);
    writeTransaction(db, () => recordLoginEvent(db, { outcome: 'refused', reason: 'token_expired', status: 401, ip: '192.0.2.2' }, BASE + 100));
    return { db, raw: rawConnection(file) };
  }

  it('verifies rows hashed before the summary columns existed, summary rows and new rows in one chain', async () => {
    const { db } = mixedChain();
    expect(await verifyAuditChain(db, 'login')).toEqual({ stream: 'login', verified: 4 });
  });

  it('hashes a single attempt exactly as before, and a summary row with its count and last time', () => {
    const row = {
      ts: 1,
      outcome: 'refused' as const,
      reason: 'x',
      status: 401,
      tenantId: null,
      objectId: null,
      userId: null,
      username: null,
      displayName: null,
      clientAppId: null,
      tokenVersion: null,
      amr: null,
      signInMethod: null,
      uti: null,
      ip: null,
      userAgent: null,
    };
    expect(loginHashFields({ ...row, attempts: 1, lastTs: null })).toHaveLength(16);
    expect(loginHashFields({ ...row, attempts: 40, lastTs: 9 }).slice(16)).toEqual([40, 9]);
  });

  it.each([
    ['a summary row whose count was lowered', 'UPDATE login_events SET attempts = 3 WHERE id = 3', 3],
    ['a summary row turned into a single attempt', 'UPDATE login_events SET attempts = 1, last_ts = NULL WHERE id = 3', 3],
    ['a summary row whose last time was moved', 'UPDATE login_events SET last_ts = last_ts + 1 WHERE id = 3', 3],
    ['an old row given a count', 'UPDATE login_events SET attempts = 2 WHERE id = 1', 1],
    ['an old row given a last time', 'UPDATE login_events SET last_ts = ts WHERE id = 2', 2],
    ['a new single-attempt row given a count', 'UPDATE login_events SET attempts = 500 WHERE id = 4', 4],
  ])('finds %s', async (_what, sql, id) => {
    const { db, raw } = mixedChain();
    expect(raw.prepare(sql).run().changes).toBe(1);
    expect((await verifyAuditChain(db, 'login')).firstBroken).toMatchObject({ id, reason: 'hash_mismatch' });
  });
});
