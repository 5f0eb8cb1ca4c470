import 'server-only';
import { decodeJwt } from 'jose';
import type { Db } from '@/db/client';
import { writeTransaction } from '@/db/transaction';
import { recordLoginEvent, type LoginAttempt } from '@/server/audit/logins';
import { summariseLoginRefusal } from '@/server/audit/login-summaries';
import { subjectOf, type TokenSubject } from '@/server/entra/claims';
import { LoginRefusedError } from '@/server/entra/errors';
import { validateAccessToken } from '@/server/entra/validate';
import { loginPolicyVerdicts } from '@/server/entra/policy';
import type { Verdict } from '@/server/entra/rules';
import { importableGroups, membershipsOf, replaceMemberships, type GroupRef } from '@/server/directory/groups';
import { findUserByObjectId, loginStateOf, upsertUserFromToken, type UserRow } from '@/server/directory/users';
import { getSettings } from '@/server/settings/service';
import { resolveOverageGroups } from '@/server/graph/resolve';
import { log } from '@/server/lib/log';
import { DATABASE_RETRY_AFTER_SECONDS } from '@/server/lib/database-fault';
import { noteDatabaseFault } from '@/server/lib/database-outage';
import { claimTokenId, createSession } from '@/server/sessions/sessions';
import { countRefusal, retryAfterSeconds } from '@/server/sessions/rate-limit';

export interface LoginRequest {
  token: string;
  ip: string | null;
  userAgent: string | null;
  /** For the log line of an unexpected fault. */
  requestId?: string | null;
}

/** The user as POST /api/login and GET /api/session return it (docs/contract.md). */
export interface LoginUser {
  id: string;
  tenantId: string;
  objectId: string;
  displayName: string | null;
  email: string | null;
  groups: GroupRef[];
}

export interface LoginResult {
  session: { token: string; expiresAt: string };
  user: LoginUser;
}

/**
 * Signs a user in with an Entra ID access token: validates it, then in one transaction
 * claims its `uti` (replay protection), creates or updates the user and their groups,
 * opens a session and writes the login-history row. Every attempt that reaches validation,
 * accepted or refused, leaves exactly one history row; rate-limited ones are counted into a
 * summary row (server/audit/login-summaries.ts). Throws {@link LoginRefusedError}.
 */
export async function loginWithToken(db: Db, req: LoginRequest, now = Date.now()): Promise<LoginResult> {
  const settings = getSettings(db, now).effective;
  const base = { ip: req.ip, userAgent: req.userAgent };
  // how this sign-in's groups were decided, for its history row (null until the token is valid)
  let groupsSource: GroupsSource | null = null;
  try {
    const wait = retryAfterSeconds(db, req.ip, settings.loginRateLimitPerMinute, now);
    if (wait > 0) throw new LoginRefusedError('too_many_attempts', undefined, wait);
    // Stryker disable next-line ConditionalExpression,LogicalOperator: validateAccessToken refuses the same way first thing; this only skips it
    if (!settings.enabled || !settings.complete) throw new LoginRefusedError('sso_not_configured');
    const validated = await validateAccessToken(db, settings, req.token, now);
    const { claims } = validated;
    let subject = validated.subject;
    if (settings.replayProtection && !subject.uti) throw policyFailure(loginPolicyVerdicts(subject, settings, { userStatus: null, utiUsed: null }))!;
    const overage = await resolveOverage(db, subject, settings);
    subject = overage.subject;
    groupsSource = overage.source;
    const expiresAt = (typeof claims.exp === 'number' ? claims.exp * 1000 : now) + settings.clockSkewSeconds * 1000;

    return writeTransaction(db, () => {
      if (settings.replayProtection && !claimTokenId(db, subject.uti!, expiresAt)) throw new LoginRefusedError('token_replayed');
      const existing = loginStateOf(db, subject.tenantId, subject.objectId);
      // the same rules the token doctor shows; the uti was claimed atomically just above
      const refused = policyFailure(
        loginPolicyVerdicts(subject, settings, {
          userStatus: existing?.status ?? null,
          userName: existing?.displayName,
          utiUsed: null,
          graphFailure: overage.graphFailure,
        }),
        overage.retryAfterSeconds,
      );
      if (refused) throw refused;
      const tokenGroups = subject.groups === 'overage' ? null : importableGroups(subject.groups ?? [], settings);
      const userId = upsertUserFromToken(db, subject, claims, {
        now,
        // overage Graph resolved is not stale: the flag says the memberships are those of earlier sign-ins
        groupsOverage: settings.importUserGroups ? subject.groups === 'overage' : null,
        groupsSource: settings.importUserGroups ? groupsSource : null,
      });
      // the memberships as this sign-in leaves them, with their names (read once, not again below)
      const groups = settings.importUserGroups && tokenGroups ? replaceMemberships(db, userId, tokenGroups, now, { isNew: !existing }) : null;
      const session = createSession(db, userId, { lifetimeMinutes: settings.sessionLifetimeMinutes, now, clientAppId: subject.clientAppId, ...base });
      recordLoginEvent(
        db,
        { ...attemptOf(subject), ...base, outcome: 'accepted', reason: null, status: 200, userId, displayName: subject.displayName, groupsSource },
        now,
      );
      // the row just written holds the subject's own values (the upsert overwrites each of them)
      const user = { id: userId, tenantId: subject.tenantId, objectId: subject.objectId, displayName: subject.displayName, email: subject.email };
      return {
        session: { token: session.token, expiresAt: new Date(session.expiresAt).toISOString() },
        user: groups ? { ...user, groups } : loginUserOf(db, user),
      };
    });
  } catch (err) {
    const refusal = err instanceof LoginRefusedError ? err : null;
    // the database is out: no history row can be written, and the address is not to blame
    if (!refusal && noteDatabaseFault(err, db)) throw new LoginRefusedError('database_unavailable', undefined, DATABASE_RETRY_AFTER_SECONDS);
    // Stryker disable next-line StringLiteral,ObjectLiteral: log wording, not behaviour (tests run with LOG_LEVEL=silent)
    if (!refusal) log.error('login failed unexpectedly', { requestId: req.requestId ?? null, error: (err as Error).message });
    const reason = refusal?.reason ?? 'server_error';
    const status = refusal?.status ?? 500;
    try {
      // refused by the rate limiter: counted into the address's summary row, not a row each (a flood cannot fill the history)
      if (reason === 'too_many_attempts') summariseLoginRefusal(db, { reason, status, ...base }, now);
      else
        writeTransaction(db, () =>
          recordLoginEvent(
            db,
            { ...attemptOf(unverifiedSubject(req.token)), ...base, outcome: 'refused', reason, status, userId: userIdOf(db, req.token), groupsSource },
            now,
          ),
        );
    } catch (writeErr) {
      noteDatabaseFault(writeErr, db);
      // Stryker disable next-line StringLiteral,ObjectLiteral: log wording, not behaviour (tests run with LOG_LEVEL=silent)
      log.error('could not record refused login', { error: (writeErr as Error).message });
    }
    if (reason !== 'too_many_attempts' && reason !== 'sso_not_configured' && reason !== 'keys_unavailable' && reason !== 'server_error')
      countRefusal(db, req.ip, now);
    throw refusal ?? new LoginRefusedError('server_error');
  }
}

function policyFailure(verdicts: Verdict[], retryAfterSeconds?: number): LoginRefusedError | null {
  const failed = verdicts.find((v) => !v.ok);
  return failed
    ? new LoginRefusedError(
        failed.reason ?? 'missing_claim',
        failed.reason === 'missing_claim' || failed.reason === 'groups_unresolved' ? failed.detail : undefined,
        // Graph configured but failing: the client may try again (docs/contract.md)
        failed.reason === 'groups_unresolved' ? retryAfterSeconds : undefined,
      )
    : null;
}

type GroupsSource = 'token' | 'graph' | 'unresolved';

interface OverageOutcome {
  subject: ValidSubject;
  source: GroupsSource;
  /** Graph is configured but could not answer, while the groups matter: the policy refuses with this. */
  graphFailure: string | null;
  retryAfterSeconds?: number;
}

type ValidSubject = Awaited<ReturnType<typeof validateAccessToken>>['subject'];

/**
 * Groups overage: when the groups matter (imported, or required) the memberships come from
 * Microsoft Graph and stand in for the token's groups in every rule below. A token that lists
 * its groups never reaches Graph (the hot path is untouched).
 */
async function resolveOverage(db: Db, subject: ValidSubject, settings: ReturnType<typeof getSettings>['effective']): Promise<OverageOutcome> {
  if (subject.groups !== 'overage') return { subject, source: 'token', graphFailure: null };
  if (!settings.importUserGroups && settings.requiredGroupIds.length === 0) return { subject, source: 'unresolved', graphFailure: null };
  const resolved = await resolveOverageGroups(db, settings, subject.objectId);
  if (resolved.source === 'graph') return { subject: { ...subject, groups: resolved.groupIds }, source: 'graph', graphFailure: null };
  return {
    subject,
    source: 'unresolved',
    graphFailure: resolved.configured ? resolved.message : null,
    retryAfterSeconds: resolved.retryAfterSeconds,
  };
}

/** The user as the client API returns it (docs/contract.md): explicit fields, groups with their admin-given names. */
export function loginUserOf(db: Db, user: Pick<UserRow, 'id' | 'tenantId' | 'objectId' | 'displayName' | 'email'>): LoginUser {
  return {
    id: user.id,
    tenantId: user.tenantId,
    objectId: user.objectId,
    displayName: user.displayName,
    email: user.email,
    groups: membershipsOf(db, user.id),
  };
}

function attemptOf(s: Partial<TokenSubject>): Omit<LoginAttempt, 'outcome' | 'reason' | 'status'> {
  return {
    tenantId: s.tenantId ?? null,
    objectId: s.objectId ?? null,
    username: s.username ?? null,
    displayName: s.displayName ?? null,
    clientAppId: s.clientAppId ?? null,
    tokenVersion: s.tokenVersion ?? null,
    amr: s.amr ?? null,
    uti: s.uti ?? null,
  };
}

/** For the history row of a refused attempt: what the token claims, unverified (it says who tried). */
function unverifiedSubject(token: string): Partial<TokenSubject> {
  try {
    return subjectOf(decodeJwt(token));
  } catch {
    return {};
  }
}

function userIdOf(db: Db, token: string): string | null {
  const s = unverifiedSubject(token);
  if (!s.tenantId || !s.objectId) return null;
  return findUserByObjectId(db, s.tenantId, s.objectId)?.id ?? null;
}
