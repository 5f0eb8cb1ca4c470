import { describe, expect, it } from 'vitest';
import { completeSetup, issueSetupToken } from '@/server/sessions/local-admin';
import { useLoginFixture } from '@/test/support/login-fixture';

describe('GET /api/audit/export', () => {
  const f = useLoginFixture();
  const exportUrl = (q: string) => `${f.server.origin}/api/audit/export?${q}`;

  it('is refused to anonymous callers and to users without a console role', async () => {
    expect((await fetch(exportUrl('format=csv'))).status).toBe(401);
    const plain = await f.entra.mintAccessToken({ user: 'plain' });
    expect((await fetch(exportUrl('format=csv'), { headers: { authorization: `Bearer ${plain}` } })).status).toBe(403);
  });

  it('streams exactly the filtered rows to an auditor, and records the export', async () => {
    for (const user of ['password', 'mfa', 'seamless']) expect((await f.login(await f.entra.mintAccessToken({ user }))).status).toBe(200);
    await f.login(await f.entra.mintAccessToken({ user: 'seamless', expiresInSeconds: -4000, issuedAtSeconds: -8000 }));
    const auditor = await f.entra.mintAccessToken({ user: 'auditor' });
    const res = await fetch(exportUrl('stream=logins&format=csv&signInMethod=wia'), { headers: { authorization: `Bearer ${auditor}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename=".+\.csv"/);
    const lines = (await res.text()).trim().split(/\r?\n/);
    expect(lines).toHaveLength(3); // header, the accepted and the refused Seamless SSO attempt
    expect(lines.slice(1).every((l) => l.includes('diego@contoso.example'))).toBe(true);

    const jsonl = await fetch(exportUrl('stream=logins&format=jsonl&outcome=refused&reason=token_expired'), {
      headers: { authorization: `Bearer ${auditor}` },
    });
    const rows = (await jsonl.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'refused', reason: 'token_expired' });

    const changes = await fetch(exportUrl('stream=changes&format=jsonl&action=audit.export'), { headers: { authorization: `Bearer ${auditor}` } });
    const exports = (await changes.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(exports.length).toBeGreaterThanOrEqual(2);
    expect(exports[0]).toMatchObject({ action: 'audit.export', actor: 'alex@contoso.example' });
  });

  it('accepts the local admin cookie, and refuses a bad filter with the field named', async () => {
    const { sessionToken } = await completeSetup(f.db, {
      token: issueSetupToken(f.db, 'setup').token,
      username: 'exporter',
      password: 'export password 2026!',
    });
    const cookie = `ice_sso_console=${sessionToken}`;
    expect((await fetch(exportUrl('stream=changes&format=csv'), { headers: { cookie } })).status).toBe(200);
    const bad = await fetch(exportUrl('stream=logins&outcome=maybe'), { headers: { cookie } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('outcome');
    expect((await fetch(exportUrl('stream=logins&colour=red'), { headers: { cookie } })).status).toBe(400);
  });

  it('streams through a signed one-minute link from audit.exportLink, and refuses a forged or expired one', async () => {
    const { issueExportTicket, readExportTicket } = await import('@/server/audit-reports/export-ticket');
    const ticket = await issueExportTicket(f.db, {
      stream: 'logins',
      format: 'jsonl',
      filter: { signInMethod: 'wia' },
      actor: { kind: 'entra', name: 'alex@contoso.example' },
    });
    const res = await fetch(exportUrl(`ticket=${encodeURIComponent(ticket)}`));
    expect(res.status).toBe(200);
    const rows = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.signInMethod === 'wia')).toBe(true);
    const [header, payload, mac] = ticket.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), filter: {} })).toString('base64url');
    expect((await fetch(exportUrl(`ticket=${header}.${forgedPayload}.${mac}`))).status).toBe(401);
    expect(await readExportTicket(f.db, ticket, Date.now() + 61_000)).toBeNull();
    expect((await fetch(exportUrl('ticket=nonsense'))).status).toBe(401);
  });

  it('honours an export link once: the second use is refused with 410 ticket_used and a message saying why', async () => {
    const { issueExportTicket } = await import('@/server/audit-reports/export-ticket');
    const ticket = await issueExportTicket(f.db, { stream: 'logins', format: 'csv', filter: {}, actor: { kind: 'entra', name: 'alex@contoso.example' } });
    const first = await fetch(exportUrl(`ticket=${encodeURIComponent(ticket)}`));
    expect(first.status).toBe(200);
    await first.text();
    const second = await fetch(exportUrl(`ticket=${encodeURIComponent(ticket)}`));
    expect(second.status).toBe(410);
    expect(await second.json()).toEqual({
      error: 'ticket_used',
      reason: 'ticket_used',
      message: 'This export link was already used; each link works once. Export again from the console.',
    });
  });
});
