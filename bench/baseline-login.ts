/**
 * The baseline's login (not product code): jose RS256 verification with a cached key, the same
 * claim checks as POST /api/login, and one SQLite transaction (uti, user upsert, 20 groups and
 * memberships, session, chained history row) with hand-prepared statements. Served over bare
 * node:http by bench/baseline-server.ts, and called in-process by bench/login-path.ts.
 */
import crypto from 'node:crypto';
import type Database from 'better-sqlite3';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';

export interface BaselineLoginResult {
  session: { token: string; expiresAt: string };
  user: { id: string; tenantId: unknown; objectId: unknown; displayName: string; email: unknown; groups: Array<{ id: string; name: null }> };
}

/** Fetches the tenant's discovery document and keys once, then answers tokens: a result, or null when refused. */
export async function baselineLogin(
  db: Database.Database,
  o: { authority: string; tenantId: string; clientId: string },
): Promise<(token: string) => Promise<BaselineLoginResult | null>> {
  const { authority, tenantId, clientId } = o;
  const audience = `api://${clientId}`;
  const doc = (await (await fetch(`${authority}/${tenantId}/v2.0/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
  const jwks = createLocalJWKSet((await (await fetch(doc.jwks_uri)).json()) as JSONWebKeySet);
  const v1Issuer = `${authority}/${tenantId}/`;
  const key = crypto.randomBytes(32);
  const q = {
    uti: db.prepare('INSERT OR IGNORE INTO used_token_ids (uti, expires_at) VALUES (?, ?)'),
    user: db.prepare(
      `INSERT INTO users (id, tenant_id, object_id, display_name, email, username, search_text, claims, created_at, updated_at, last_login_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, object_id) DO UPDATE SET display_name = excluded.display_name,
       email = excluded.email, username = excluded.username, claims = excluded.claims, updated_at = excluded.updated_at, last_login_at = excluded.last_login_at RETURNING id`,
    ),
    group: db.prepare(
      'INSERT INTO groups (id, created_at, updated_at, last_seen_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET last_seen_at = excluded.last_seen_at',
    ),
    member: db.prepare('INSERT OR IGNORE INTO user_groups (user_id, group_id, added_at) VALUES (?, ?, ?)'),
    session: db.prepare('INSERT INTO sessions (id, token_hash, user_id, client_app_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)'),
    last: db.prepare('SELECT hash FROM login_events ORDER BY id DESC LIMIT 1'),
    event: db.prepare(
      `INSERT INTO login_events (ts, outcome, reason, status, tenant_id, object_id, user_id, username, token_version, uti, prev_hash, hash)
       VALUES (?, 'accepted', NULL, 200, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
  };
  const login = db.transaction((c: Record<string, unknown>, groups: string[], now: number) => {
    if (q.uti.run(c.uti, Number(c.exp) * 1000).changes === 0) return null;
    const name = String(c.name ?? '');
    const { id } = q.user.get(crypto.randomUUID(), c.tid, c.oid, name, c.upn ?? null, c.upn ?? null, name.toLowerCase(), JSON.stringify(c), now, now, now) as {
      id: string;
    };
    for (const g of groups) {
      q.group.run(g, now, now, now);
      q.member.run(id, g, now);
    }
    const token = crypto.randomBytes(32).toString('base64url');
    q.session.run(crypto.randomUUID(), crypto.createHash('sha256').update(token).digest('hex'), id, c.appid ?? c.azp, now, now + 3600_000);
    const prev = (q.last.get() as { hash: string } | undefined)?.hash ?? '0';
    const hash = crypto
      .createHmac('sha256', key)
      .update(prev)
      .update(JSON.stringify([now, c.tid, c.oid, id]))
      .digest('hex');
    q.event.run(now, c.tid, c.oid, id, c.upn ?? null, c.ver, c.uti, prev, hash);
    return {
      session: { token, expiresAt: new Date(now + 3600_000).toISOString() },
      user: { id, tenantId: c.tid, objectId: c.oid, displayName: name, email: c.upn ?? null, groups: groups.map((g) => ({ id: g, name: null })) },
    };
  });

  return async (token) => {
    const { payload: c } = await jwtVerify(token, jwks, { algorithms: ['RS256'], clockTolerance: 300 });
    const ok =
      c.tid === tenantId &&
      (c.iss === doc.issuer || c.iss === v1Issuer) &&
      (c.aud === audience || c.aud === clientId) &&
      String(c.scp ?? '')
        .split(' ')
        .includes('UserProfile.ReadWrite') &&
      (c.appid ?? c.azp) === clientId;
    return ok ? login(c, Array.isArray(c.groups) ? (c.groups as string[]) : [], Date.now()) : null;
  };
}
