import { describe, expect, it } from 'vitest';
import { useLoginFixture } from '@/test/support/login-fixture';
import { verifyAuditChains } from './verify';

/** Sends `count` requests, `concurrency` at a time; returns the statuses seen. */
async function flood(count: number, concurrency: number, send: (i: number) => Promise<Response>): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const res = await send(next++);
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    }),
  );
  return statuses;
}

describe('a flood of garbage logins from one address (real server)', () => {
  const f = useLoginFixture({ settings: { loginRateLimitPerMinute: 300 } });

  it('adds at most 400 history rows for 1,500 garbage POST /api/login, the summaries count every attempt exactly, and both chains verify', async () => {
    // 1,200 garbage tokens (they reach validation until the limit) and 300 requests without a token (refused before it)
    const statuses = await flood(1500, 25, (i) =>
      i % 5 === 4 ? f.login({ headers: { 'content-type': 'application/json' }, body: '{}' }) : f.login(`garbage.${i}.token`),
    );
    expect([...statuses.keys()].sort()).toEqual([400, 401, 429]);
    expect((statuses.get(401) ?? 0) + (statuses.get(429) ?? 0)).toBe(1200);
    expect(statuses.get(429)).toBeGreaterThan(900);

    // SIGTERM: the server appends the summaries of windows still open before it closes the database
    await f.server.stop();
    const { rows, attempts, summaries } = f.db.$client
      .prepare('SELECT count(*) AS rows, sum(attempts) AS attempts, count(last_ts) AS summaries FROM login_events')
      .get() as { rows: number; attempts: number; summaries: number };
    expect(rows).toBeLessThanOrEqual(400);
    expect(attempts).toBe(1500);
    expect(summaries).toBeGreaterThanOrEqual(1);
    // every 429 the clients saw is counted in a summary row, to the attempt
    const limited = f.db.$client.prepare("SELECT coalesce(sum(attempts), 0) AS n FROM login_events WHERE reason = 'too_many_attempts'").get() as { n: number };
    expect(limited.n).toBe(statuses.get(429));
    expect((await verifyAuditChains(f.db)).map((v) => v.firstBroken)).toEqual([undefined, undefined]);
  });
});
