import { describe, expect, it } from 'vitest';
import { useValidatorFixture } from '@/test/support/validator-fixture';
import { confirmedGroupIds, loginPolicyVerdicts } from './policy';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

const firstSignIn = { rule: 'user', label: 'User', ok: true, detail: 'First sign-in: the user will be created.' };
const active = { rule: 'user', label: 'User', ok: true, detail: 'The user is active.' };
const noGroupRequired = { rule: 'groups', label: 'Required groups', ok: true, detail: 'No group is required.' };

describe('the rules after the token itself, in the words the token doctor shows', () => {
  const f = useValidatorFixture();

  it('replay protection: no uti, a used uti, an unused one, and nothing when the login claims it itself or the rule is off', () => {
    const s = f.settings({ replayProtection: true });
    expect(loginPolicyVerdicts({ uti: null, groups: [] }, s, { userStatus: null, utiUsed: null })).toEqual([
      {
        rule: 'replay',
        label: 'Replay protection',
        ok: false,
        reason: 'missing_claim',
        detail: 'The token has no uti (token ID) claim, needed for replay protection.',
        fix: 'Entra ID access tokens always carry uti: this token was not issued by Entra ID for a user sign-in.',
      },
      firstSignIn,
      noGroupRequired,
    ]);
    expect(loginPolicyVerdicts({ uti: 'u1', groups: [] }, s, { userStatus: 'active', utiUsed: true })[0]).toEqual({
      rule: 'replay',
      label: 'Replay protection',
      ok: false,
      reason: 'token_replayed',
      detail: 'This token was already used to sign in.',
      fix: 'Each token signs in once. Acquire a new token.',
    });
    expect(loginPolicyVerdicts({ uti: 'u1', groups: [] }, s, { userStatus: 'active', utiUsed: false })).toEqual([
      { rule: 'replay', label: 'Replay protection', ok: true, detail: 'Not used for a sign-in yet (checking did not use it).' },
      active,
      noGroupRequired,
    ]);
    expect(loginPolicyVerdicts({ uti: 'u1', groups: [] }, s, { userStatus: 'active', utiUsed: null })).toEqual([active, noGroupRequired]);
    expect(loginPolicyVerdicts({ uti: null, groups: [] }, f.settings({ replayProtection: false }), { userStatus: null, utiUsed: true })).toEqual([
      firstSignIn,
      noGroupRequired,
    ]);
  });

  it('a disabled user, by name or as "This user"', () => {
    const s = f.settings();
    const disabled = (userName?: string | null) => loginPolicyVerdicts({ uti: 'u', groups: [] }, s, { userStatus: 'disabled', userName, utiUsed: null })[0];
    expect(disabled('Ada Lovelace')).toEqual({
      rule: 'user',
      label: 'User',
      ok: false,
      reason: 'user_disabled',
      detail: 'Ada Lovelace is disabled on this server.',
      fix: 'Enable the user on the Users page if they should sign in.',
    });
    expect(disabled(null)).toMatchObject({ detail: 'This user is disabled on this server.' });
  });

  it('groups overage that Graph could not resolve refuses, with Graph’s reason, whether groups are required or not', () => {
    const unresolved = {
      rule: 'groups',
      label: 'Required groups',
      ok: false,
      reason: 'groups_unresolved',
      detail: 'The user is in more groups than fit in the token (groups overage), and Microsoft Graph could not be asked: Graph answered 503.',
      fix: 'See "Microsoft Graph" in docs/operations.md: check the credential, the application permissions and Graph health; the client may retry after Retry-After.',
    };
    for (const requiredGroupIds of [[], [A]])
      expect(
        loginPolicyVerdicts({ uti: 'u', groups: 'overage' }, f.settings({ requiredGroupIds }), {
          userStatus: null,
          utiUsed: null,
          graphFailure: 'Graph answered 503.',
        })[1],
      ).toEqual(unresolved);
    // a Graph failure says nothing when the token's groups fit
    expect(loginPolicyVerdicts({ uti: 'u', groups: [A] }, f.settings(), { userStatus: null, utiUsed: null, graphFailure: 'Graph answered 503.' })[1]).toEqual(
      noGroupRequired,
    );
  });

  it('groups overage without Graph: fine when no group is required, refused when one is', () => {
    expect(loginPolicyVerdicts({ uti: 'u', groups: 'overage' }, f.settings(), { userStatus: null, utiUsed: null })[1]).toEqual({
      rule: 'groups',
      label: 'Required groups',
      ok: true,
      detail: 'No group is required (the token has groups overage).',
    });
    expect(loginPolicyVerdicts({ uti: 'u', groups: 'overage' }, f.settings({ requiredGroupIds: [A] }), { userStatus: null, utiUsed: null })[1]).toEqual({
      rule: 'groups',
      label: 'Required groups',
      ok: false,
      reason: 'groups_unresolved',
      detail:
        'The user is in more groups than fit in the token (groups overage), and the memberships could not be confirmed; memberships stored at earlier sign-ins never count.',
      fix: 'Configure Microsoft Graph access so overage can be resolved, or have the app emit only the groups assigned to the application.',
    });
  });

  it('required groups: a member in any case of the ID, and how many groups a non-member’s token lists', () => {
    const s = f.settings({ requiredGroupIds: [A, B] });
    const groups = (g: string[] | null) => loginPolicyVerdicts({ uti: 'u', groups: g }, s, { userStatus: null, utiUsed: null })[1];
    expect(groups([B.toUpperCase()])).toEqual({ rule: 'groups', label: 'Required groups', ok: true, detail: 'The user is in a required group.' });
    const refused = (detail: string) => ({
      rule: 'groups',
      label: 'Required groups',
      ok: false,
      reason: 'group_required',
      detail,
      fix: 'Add the user to a required group in Entra ID, or change "Required groups" in the SSO settings.',
    });
    expect(groups(null)).toEqual(refused('The token lists 0 groups, none of the 2 required.'));
    expect(groups(['other'])).toEqual(refused('The token lists 1 group, none of the 2 required.'));
    expect(groups(['other', 'another'])).toEqual(refused('The token lists 2 groups, none of the 2 required.'));
  });

  it('confirmed groups: the token’s own, lower-cased; none without a groups claim; unknown (null) on overage', () => {
    expect(confirmedGroupIds(['AbC', 'def'])).toEqual(['abc', 'def']);
    expect(confirmedGroupIds(null)).toEqual([]);
    expect(confirmedGroupIds('overage')).toBeNull();
  });
});
