import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { filterHash, issueExportTicket, MAX_USED_TICKETS, readExportTicket, redeemExportTicket } from './export-ticket';
import { freshDb } from '@/server/audit/test-fixtures';
import { onPostgres } from '@/test/support/test-database';

const request = { stream: 'logins', format: 'csv', filter: { outcome: 'refused' }, actor: { kind: 'local', name: 'admin' } } as const;

describe('export tickets', () => {
  it('are HS256 JWTs of one minute naming the actor, the filter and its hash, with a random jti', async () => {
    const { db } = freshDb();
    const now = Date.now();
    const ticket = await issueExportTicket(db, request, now);
    expect(decodeProtectedHeader(ticket)).toMatchObject({ alg: 'HS256' });
    const claims = decodeJwt(ticket);
    expect(claims).toMatchObject({
      sub: 'admin',
      actor: { kind: 'local', name: 'admin' },
      filter: { outcome: 'refused' },
      fh: filterHash({ outcome: 'refused' }),
    });
    expect(claims.expMs).toBe(now + 60_000);
    expect(claims.exp).toBe(Math.ceil((now + 60_000) / 1000));
    expect(claims.jti).toMatch(/^[\w-]{22}$/);
    expect(decodeJwt(await issueExportTicket(db, request, now)).jti).not.toBe(claims.jti);
  });

  it('redeems a ticket once; a second use, a forged, a tampered and an expired one are refused', async () => {
    const { db } = freshDb();
    const now = Date.now();
    const ticket = await issueExportTicket(db, request, now);
    expect(await redeemExportTicket(db, ticket, now)).toMatchObject({ ticket: { stream: 'logins', filter: { outcome: 'refused' }, actor: { name: 'admin' } } });
    expect(await redeemExportTicket(db, ticket, now + 1)).toEqual({ problem: 'used' });
    expect(await redeemExportTicket(db, await issueExportTicket(db, request, now - 61_000), now)).toEqual({ problem: 'invalid' });
    // one character of the signature changed: its first, which carries six bits of the MAC (the last one
    // carries only four, and swapping it for a character that differs only in the two unused bits leaves the MAC whole)
    const [header, payload, signature] = ticket.split('.') as [string, string, string];
    const tampered = [header, payload, (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1)].join('.');
    expect(await redeemExportTicket(db, tampered, now)).toEqual({ problem: 'invalid' });
    // signed with another key (a guess at the secret): refused
    const forged = await new SignJWT({ ...decodeJwt(ticket), jti: 'x'.repeat(22) }).setProtectedHeader({ alg: 'HS256' }).sign(new Uint8Array(32));
    expect(await readExportTicket(db, forged, now)).toBeNull();
    // a ticket of another database's audit key is not valid here (on PostgreSQL every test database shares the project's key)
    if (!onPostgres) expect(await readExportTicket(freshDb().db, await issueExportTicket(db, request, now), now)).toBeNull();
  });

  it(`remembers at most ${MAX_USED_TICKETS} used tickets, forgetting only expired ones, and refuses rather than forget a live one`, async () => {
    const { db } = freshDb();
    const start = Date.now() + 10 * 60_000;
    for (let i = 0; i < MAX_USED_TICKETS; i++)
      expect('ticket' in (await redeemExportTicket(db, await issueExportTicket(db, request, start), start))).toBe(true);
    // full of live tickets: a new one is refused
    expect(await redeemExportTicket(db, await issueExportTicket(db, request, start), start)).toEqual({ problem: 'used' });
    // a minute later they have expired: they are forgotten and a new ticket works
    const later = start + 61_000;
    expect('ticket' in (await redeemExportTicket(db, await issueExportTicket(db, request, later), later))).toBe(true);
  });
});
