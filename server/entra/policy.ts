import 'server-only';
import type { EffectiveSettings } from '@/server/settings/derive';
import type { TokenSubject } from './claims';
import type { Verdict } from './rules';

/** What the server knows about the token's subject beyond the token itself. */
export interface PolicyFacts {
  /** The stored user's status, or null for a first sign-in. */
  userStatus: 'active' | 'disabled' | null;
  /** The user's display name, for the verdict's words. */
  userName?: string | null;
  /**
   * Whether the token's `uti` was already used for a sign-in; null when the caller claims
   * it atomically afterwards (the login) or replay protection is off.
   */
  utiUsed: boolean | null;
  /**
   * Groups overage that Microsoft Graph is configured to resolve but could not (why, in words):
   * the sign-in is refused (`groups_unresolved`) whenever its groups matter, required groups or not.
   * Resolved memberships are not a fact here: the caller passes them as the subject's groups.
   */
  graphFailure?: string | null;
}

/**
 * The rules `POST /api/login` applies after the token itself is valid, in the order it
 * applies them: replay protection, the user's status, and required groups (which fail
 * closed on groups overage: memberships that did not fit in the token and could not be
 * confirmed never satisfy a required group). Shared by the login, which stops at the first
 * failure, and the token doctor, which shows them all, so the doctor never says "accepted"
 * where the login refuses.
 */
export function loginPolicyVerdicts(subject: Pick<TokenSubject, 'uti' | 'groups'>, s: EffectiveSettings, facts: PolicyFacts): Verdict[] {
  const out: Verdict[] = [];
  if (s.replayProtection) {
    if (!subject.uti) {
      out.push({
        rule: 'replay',
        label: 'Replay protection',
        ok: false,
        reason: 'missing_claim',
        detail: 'The token has no uti (token ID) claim, needed for replay protection.',
        fix: 'Entra ID access tokens always carry uti: this token was not issued by Entra ID for a user sign-in.',
      });
    } else if (facts.utiUsed === true) {
      out.push({
        rule: 'replay',
        label: 'Replay protection',
        ok: false,
        reason: 'token_replayed',
        detail: 'This token was already used to sign in.',
        fix: 'Each token signs in once. Acquire a new token.',
      });
    } else if (facts.utiUsed === false) {
      out.push({ rule: 'replay', label: 'Replay protection', ok: true, detail: 'Not used for a sign-in yet (checking did not use it).' });
    }
  }
  out.push(
    facts.userStatus === 'disabled'
      ? {
          rule: 'user',
          label: 'User',
          ok: false,
          reason: 'user_disabled',
          detail: `${facts.userName ?? 'This user'} is disabled on this server.`,
          fix: 'Enable the user on the Users page if they should sign in.',
        }
      : { rule: 'user', label: 'User', ok: true, detail: facts.userStatus === null ? 'First sign-in: the user will be created.' : 'The user is active.' },
  );
  out.push(groupVerdict(subject.groups, s, facts.graphFailure ?? null));
  return out;
}

function groupVerdict(groups: TokenSubject['groups'], s: EffectiveSettings, graphFailure: string | null): Verdict {
  const label = 'Required groups';
  if (groups === 'overage' && graphFailure) {
    return {
      rule: 'groups',
      label,
      ok: false,
      reason: 'groups_unresolved',
      detail: `The user is in more groups than fit in the token (groups overage), and Microsoft Graph could not be asked: ${graphFailure}`,
      fix: 'See "Microsoft Graph" in docs/operations.md: check the credential, the application permissions and Graph health; the client may retry after Retry-After.',
    };
  }
  if (s.requiredGroupIds.length === 0) {
    return { rule: 'groups', label, ok: true, detail: groups === 'overage' ? 'No group is required (the token has groups overage).' : 'No group is required.' };
  }
  if (groups === 'overage') {
    return {
      rule: 'groups',
      label,
      ok: false,
      reason: 'groups_unresolved',
      detail:
        'The user is in more groups than fit in the token (groups overage), and the memberships could not be confirmed; memberships stored at earlier sign-ins never count.',
      fix: 'Configure Microsoft Graph access so overage can be resolved, or have the app emit only the groups assigned to the application.',
    };
  }
  const held = confirmedGroupIds(groups) ?? [];
  return held.some((g) => s.requiredGroupIds.includes(g))
    ? { rule: 'groups', label, ok: true, detail: 'The user is in a required group.' }
    : {
        rule: 'groups',
        label,
        ok: false,
        reason: 'group_required',
        detail: `The token lists ${held.length} group${held.length === 1 ? '' : 's'}, none of the ${s.requiredGroupIds.length} required.`,
        fix: 'Add the user to a required group in Entra ID, or change "Required groups" in the SSO settings.',
      };
}

/**
 * The overage rule, for every decision taken on groups (required groups here, console roles in
 * server/console-auth): the token's own groups, lower-cased, or null on groups overage, when
 * the memberships did not fit in the token; stored memberships never stand in for them.
 */
export function confirmedGroupIds(groups: TokenSubject['groups']): string[] | null {
  return groups === 'overage' ? null : (groups ?? []).map((g) => g.toLowerCase());
}
