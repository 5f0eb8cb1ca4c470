import { describe, expect, it } from 'vitest';
import { issueExportTicket, MAX_USED_TICKETS, redeemExportTicket } from './export-ticket';
import { freshDb } from '@/server/audit/test-fixtures';

const request = { stream: 'logins', format: 'csv', filter: {}, actor: { kind: 'local', name: 'admin' } } as const;

describe('export tickets', () => {
  it('redeems a ticket once; a second use, a forged and an expired one are refused', () => {
    const { db } = freshDb();
    const now = Date.now();
    const ticket = issueExportTicket(db, request, now);
    expect(redeemExportTicket(db, ticket, now)).toMatchObject({ ticket: { stream: 'logins', actor: { name: 'admin' } } });
    expect(redeemExportTicket(db, ticket, now + 1)).toEqual({ problem: 'used' });
    expect(redeemExportTicket(db, issueExportTicket(db, request, now - 61_000), now)).toEqual({ problem: 'invalid' });
    expect(redeemExportTicket(db, ticket.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), now)).toEqual({ problem: 'invalid' });
  });

  it(`remembers at most ${MAX_USED_TICKETS} used tickets, forgetting only expired ones, and refuses rather than forget a live one`, () => {
    const { db } = freshDb();
    const start = Date.now() + 10 * 60_000;
    for (let i = 0; i < MAX_USED_TICKETS; i++) expect('ticket' in redeemExportTicket(db, issueExportTicket(db, request, start), start)).toBe(true);
    // full of live tickets: a new one is refused
    expect(redeemExportTicket(db, issueExportTicket(db, request, start), start)).toEqual({ problem: 'used' });
    // a minute later they have expired: they are forgotten and a new ticket works
    const later = start + 61_000;
    expect('ticket' in redeemExportTicket(db, issueExportTicket(db, request, later), later)).toBe(true);
  });
});
