import http from 'node:http';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEntraEmulator, type EntraEmulator } from '@/dev-entra';
import { openDb, type Db } from '@/db/client';
import { loginEvents, sessions } from '@/db/schema';
import { hashToken } from '@/server/lib/tokens';
import { updateSettings } from '@/server/settings/service';
import { startServer, type RunningServer } from '@/test/support/processes';
import { tempDbFile, databaseUrlOf } from '@/test/support/tmp';

type Outcome = { kind: 'answered'; status: number; body: string } | { kind: 'cut' } | { kind: 'not_answered' };

/** One POST /api/login on a fresh connection; tells a complete answer from one cut halfway. */
function login(port: number, token: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: '/api/login', method: 'POST', agent: false, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        let body = '';
        let done = false;
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => {
          done = true;
          resolve({ kind: 'answered', status: res.statusCode ?? 0, body });
        });
        res.on('aborted', () => !done && resolve({ kind: 'cut' }));
        res.on('error', () => !done && resolve({ kind: 'cut' }));
      },
    );
    req.on('error', () => resolve({ kind: 'not_answered' }));
    req.end();
  });
}

describe('graceful shutdown', () => {
  let entra: EntraEmulator;
  let server: RunningServer;
  let db: Db;
  const file = tempDbFile();
  beforeAll(async () => {
    entra = await startEntraEmulator();
    db = openDb(file);
    updateSettings(
      db,
      { cloud: 'custom', authorityHost: entra.authorityHost, tenantId: entra.tenantId, clientId: entra.clientId, enabled: true },
      { kind: 'cli', name: 'test' },
    );
  });
  beforeEach(async () => {
    server = await startServer({ databaseUrl: databaseUrlOf(file), env: { LOG_LEVEL: 'info' } });
  });

  it('answers a login whose body is still arriving when SIGTERM comes, then exits 0', async () => {
    const token = await entra.mintAccessToken({ user: 'mfa' });
    const body = JSON.stringify({ token });
    const exited = new Promise<number | null>((resolve) => server.child.once('close', (code) => resolve(code)));
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/api/login',
          method: 'POST',
          agent: false,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          res.on('aborted', () => reject(new Error('response cut')));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 100));
      setTimeout(() => server.child.kill('SIGTERM'), 300);
      // a slow client: the rest of the body comes 2.5 s after the signal
      setTimeout(() => req.end(body.slice(100)), 2800);
    });
    const res = await answer;
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).session.token).toEqual(expect.any(String));
    expect(await exited).toBe(0);
  });
  afterAll(async () => {
    await server?.stop();
    await entra?.stop();
    db?.$client.close();
  });

  it('on SIGTERM during a login burst lets in-flight logins finish, cuts no response halfway, records every 200 and exits 0', async () => {
    const tokens = await Promise.all(Array.from({ length: 400 }, (_, i) => entra.mintAccessToken({ user: i % 2 ? 'password' : 'mfa' })));
    // warm up: keys fetched, statements prepared
    expect((await login(server.port, tokens.pop()!)).kind).toBe('answered');
    const outcomes: Outcome[] = [];
    // 'close', not 'exit': the exit can come before the last lines of its output have been read
    const exited = new Promise<number | null>((resolve) => server.child.once('close', (code) => resolve(code)));
    let signalled = false;
    const worker = async () => {
      for (let t = tokens.pop(); t; t = tokens.pop()) {
        const o = await login(server.port, t);
        outcomes.push(o);
        if (!signalled && outcomes.length >= 60) {
          signalled = true;
          server.child.kill('SIGTERM');
        }
        if (o.kind === 'not_answered') break;
      }
    };
    await Promise.all(Array.from({ length: 24 }, worker));
    const code = await exited;

    const answered = outcomes.filter((o): o is Extract<Outcome, { kind: 'answered' }> => o.kind === 'answered');
    expect(signalled).toBe(true);
    expect(outcomes.filter((o) => o.kind === 'cut')).toEqual([]);
    expect(answered.length).toBeGreaterThan(60);
    expect(answered.every((o) => o.status === 200)).toBe(true);
    // every acknowledged login has its session and its history row
    const acknowledged = answered.map((o) => JSON.parse(o.body) as { session: { token: string } });
    for (const a of acknowledged) {
      expect(
        db
          .select({ id: sessions.id })
          .from(sessions)
          .where(eq(sessions.tokenHash, hashToken(a.session.token)))
          .get(),
      ).toBeDefined();
    }
    const accepted = db.select({ n: count() }).from(loginEvents).where(eq(loginEvents.outcome, 'accepted')).get()!.n;
    // the slow-client test before this one was accepted too, and so was the warm-up
    expect(accepted).toBe(acknowledged.length + 2);
    expect(code).toBe(0);
    expect(server.output()).toMatch(/draining in-flight requests/);
    expect(server.output()).toMatch(/"msg":"stopped"/);
    // the pages were preloaded before listening (serve.ts): a Next upgrade that breaks it shows here
    expect(server.output()).not.toMatch(/cannot preload the pages/);
  });
});
