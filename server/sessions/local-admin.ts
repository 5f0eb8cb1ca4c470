import 'server-only';
import crypto from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { consoleSessions, localAdmins, setupTokens } from '@/db/schema';
import { writeTransaction } from '@/db/transaction';
import { recordChange } from '@/server/audit/changes';
import { hashToken, randomToken } from '@/server/lib/tokens';
import { passwordHashPool } from './hash-pool';
import { LocalAuthError } from './local-auth-error';
import { hashPassword, passwordProblem } from './passwords';
import { USERNAME_RE, USERNAME_RULE } from '@/shared/credential-rules';

/** Setup links are single use and expire after one hour. */
export const SETUP_LINK_TTL_MS = 60 * 60 * 1000;
/** Console cookie sessions of the local admin last 8 hours. */
export const CONSOLE_SESSION_TTL_MS = 8 * 60 * 60 * 1000;

export { LocalAuthError } from './local-auth-error';

export function hasLocalAdmin(db: Db): boolean {
  return db.select({ id: localAdmins.id }).from(localAdmins).limit(1).get() !== undefined;
}

/**
 * Creates a one-time setup link token (stored hashed), invalidating earlier unused ones.
 * `purpose` is `setup` at first start and `reset` from `ice-sso admin reset`.
 */
export function issueSetupToken(db: Db, purpose: 'setup' | 'reset', now = Date.now()): { token: string; expiresAt: number } {
  const token = randomToken();
  writeTransaction(db, () => {
    db.update(setupTokens).set({ usedAt: now }).where(isNull(setupTokens.usedAt)).run();
    db.insert(setupTokens)
      .values({ id: crypto.randomUUID(), tokenHash: hashToken(token), purpose, createdAt: now, expiresAt: now + SETUP_LINK_TTL_MS })
      .run();
    recordChange(
      db,
      { kind: purpose === 'reset' ? 'cli' : 'system', name: purpose === 'reset' ? 'cli' : 'system' },
      { action: `breakglass.link_issued`, targetType: 'local_admin', after: { purpose, expiresAt: new Date(now + SETUP_LINK_TTL_MS).toISOString() } },
      now,
    );
  });
  return { token, expiresAt: now + SETUP_LINK_TTL_MS };
}

export function setupLink(origin: string, token: string): string {
  return `${origin}/setup#token=${token}`;
}

/** Checks a setup token without using it (the setup page shows whether the link still works). */
export function inspectSetupToken(
  db: Db,
  token: string,
  now = Date.now(),
): { ok: true; purpose: 'setup' | 'reset' } | { ok: false; reason: Extract<LocalAuthError['reason'], `setup_link_${string}`> } {
  const row = db
    .select()
    .from(setupTokens)
    .where(eq(setupTokens.tokenHash, hashToken(token)))
    .get();
  if (!row) return { ok: false, reason: 'setup_link_invalid' };
  if (row.usedAt !== null) return { ok: false, reason: 'setup_link_used' };
  if (row.expiresAt <= now) return { ok: false, reason: 'setup_link_expired' };
  return { ok: true, purpose: row.purpose };
}

/**
 * Uses a setup token: creates the local break-glass admin, or on a reset link sets a new
 * password for it (revoking its sessions). Returns a console session token.
 */
export async function completeSetup(
  db: Db,
  input: { token: string; username: string; password: string; ip?: string | null; userAgent?: string | null },
  now = Date.now(),
): Promise<{ sessionToken: string; expiresAt: number; username: string }> {
  const check = inspectSetupToken(db, input.token, now);
  if (!check.ok) throw new LocalAuthError(check.reason, setupMessage(check.reason));
  if (!USERNAME_RE.test(input.username)) throw new LocalAuthError('bad_username', `User name: ${USERNAME_RULE}`);
  const problem = passwordProblem(input.password, input.username);
  if (problem) throw new LocalAuthError('weak_password', `Password ${problem}.`);
  const passwordHash = await hashWithSetupLink(input.password);
  return writeTransaction(db, () => {
    // claim the token inside the transaction: two concurrent uses cannot both succeed
    const claimed = db
      .update(setupTokens)
      .set({ usedAt: now })
      .where(and(eq(setupTokens.tokenHash, hashToken(input.token)), isNull(setupTokens.usedAt), gt(setupTokens.expiresAt, now)))
      .run();
    if (claimed.changes !== 1) throw new LocalAuthError('setup_link_used', setupMessage('setup_link_used'));
    const existing = db.select().from(localAdmins).where(eq(localAdmins.username, input.username)).get();
    let adminId: string;
    if (existing) {
      adminId = existing.id;
      db.update(localAdmins).set({ passwordHash, updatedAt: now }).where(eq(localAdmins.id, adminId)).run();
      db.update(consoleSessions)
        .set({ revokedAt: now })
        .where(and(eq(consoleSessions.adminId, adminId), isNull(consoleSessions.revokedAt)))
        .run();
    } else {
      adminId = crypto.randomUUID();
      db.insert(localAdmins).values({ id: adminId, username: input.username, passwordHash, createdAt: now, updatedAt: now }).run();
    }
    const actor = { kind: 'local' as const, name: input.username, id: adminId, ip: input.ip ?? null };
    recordChange(
      db,
      actor,
      {
        action: existing ? 'breakglass.password_reset' : 'breakglass.setup',
        targetType: 'local_admin',
        targetId: adminId,
        after: { username: input.username },
      },
      now,
    );
    const session = openConsoleSession(db, adminId, input, now);
    recordChange(db, actor, { action: 'breakglass.sign_in', targetType: 'local_admin', targetId: adminId, after: { via: 'setup link' } }, now);
    return { ...session, username: input.username };
  });
}

function setupMessage(reason: LocalAuthError['reason']): string {
  switch (reason) {
    case 'setup_link_used':
      return 'This setup link was already used. Run `npx ice-sso admin reset` for a new one.';
    case 'setup_link_expired':
      return 'This setup link has expired (links last one hour). Run `npx ice-sso admin reset` for a new one.';
    default:
      return 'This setup link is not valid. Run `npx ice-sso admin reset` for a new one.';
  }
}

/**
 * Hashes the new password of a setup or reset link. It may go past the pool's bound (it is
 * never refused as busy): only the holder of a valid one-time link gets here, and that is how
 * the real admin gets in while anonymous sign-ins flood the pool or spend the password budget.
 */
async function hashWithSetupLink(password: string): Promise<string> {
  const ticket = passwordHashPool().admit({ beyondBound: true });
  try {
    return await hashPassword(password, ticket);
  } catch {
    throw new LocalAuthError('sign_in_unavailable', 'The server could not hash the password right now. Try again.');
  } finally {
    ticket.release();
  }
}

/** Opens a console cookie session for a local admin (inside the caller's transaction). */
export function openConsoleSession(db: Db, adminId: string, meta: { ip?: string | null; userAgent?: string | null }, now: number) {
  const sessionToken = randomToken();
  const expiresAt = now + CONSOLE_SESSION_TTL_MS;
  db.insert(consoleSessions)
    .values({
      id: crypto.randomUUID(),
      tokenHash: hashToken(sessionToken),
      adminId,
      ip: meta.ip ?? null,
      userAgent: meta.userAgent?.slice(0, 512) ?? null,
      createdAt: now,
      expiresAt,
    })
    .run();
  return { sessionToken, expiresAt };
}

/** The local admin of a console cookie, or null. */
export function lookupConsoleSession(db: Db, token: string, now = Date.now()): { adminId: string; username: string; sessionId: string } | null {
  if (!token || token.length > 256) return null;
  const row = db
    .select({
      sessionId: consoleSessions.id,
      adminId: localAdmins.id,
      username: localAdmins.username,
      expiresAt: consoleSessions.expiresAt,
      revokedAt: consoleSessions.revokedAt,
    })
    .from(consoleSessions)
    .innerJoin(localAdmins, eq(localAdmins.id, consoleSessions.adminId))
    .where(eq(consoleSessions.tokenHash, hashToken(token)))
    .get();
  if (!row || row.revokedAt !== null || row.expiresAt <= now) return null;
  return { adminId: row.adminId, username: row.username, sessionId: row.sessionId };
}

export function endConsoleSession(db: Db, sessionId: string, now = Date.now()): void {
  db.update(consoleSessions).set({ revokedAt: now }).where(eq(consoleSessions.id, sessionId)).run();
}
