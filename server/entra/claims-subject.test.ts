import { describe, expect, it } from 'vitest';
import { claimSnapshot, subjectOf } from './claims';

describe('subjectOf maps Entra v1/v2 claims to the subject (display data apart from tid and oid)', () => {
  it('maps a v2 token', () => {
    const s = subjectOf({
      tid: 't',
      oid: 'o',
      name: 'N',
      preferred_username: 'p@x',
      azp: 'c',
      ver: '2.0',
      uti: 'u',
      scp: 'A  B',
      roles: ['R', 1],
      groups: ['g1', 2, 'g2'],
      amr: ['pwd', null],
    });
    expect(s).toMatchObject({
      tenantId: 't',
      objectId: 'o',
      displayName: 'N',
      username: 'p@x',
      clientAppId: 'c',
      tokenVersion: '2.0',
      uti: 'u',
      scopes: ['A', 'B'],
      roles: ['R'],
      groups: ['g1', 'g2'],
      amr: ['pwd'],
    });
  });
  it('maps a v1 token: upn then unique_name as user name, appid as client', () => {
    expect(subjectOf({ upn: 'u@x', unique_name: 'n@x', appid: 'a', ver: '1.0' })).toMatchObject({ username: 'u@x', clientAppId: 'a', tokenVersion: '1.0' });
    expect(subjectOf({ unique_name: 'n@x' }).username).toBe('n@x');
    expect(subjectOf({ azp: 'z', appid: 'a' }).clientAppId).toBe('z');
  });
  it('treats empty strings and other types as absent', () => {
    const s = subjectOf({ tid: '', oid: 7, name: null, ver: '3.0', scp: 5, roles: 'R', groups: 'g', amr: 'pwd', uti: '' });
    expect(s).toEqual({
      tenantId: null,
      objectId: null,
      displayName: null,
      email: null,
      username: null,
      clientAppId: null,
      tokenVersion: null,
      amr: null,
      uti: null,
      scopes: [],
      roles: [],
      groups: null,
    });
  });
  it('reads groups overage from _claim_names, unless the token lists groups', () => {
    expect(subjectOf({ _claim_names: { groups: 'src1' } }).groups).toBe('overage');
    expect(subjectOf({ _claim_names: { groups: 'src1' }, groups: ['g'] }).groups).toEqual(['g']);
    expect(subjectOf({ _claim_names: { other: 'src1' } }).groups).toBeNull();
    expect(subjectOf({ _claim_names: null }).groups).toBeNull();
    expect(subjectOf({ _claim_names: 'groups' }).groups).toBeNull();
  });
});

describe('claimSnapshot keeps what is worth keeping on the profile', () => {
  it('drops one-time and signature-related claims and shortens the group list', () => {
    const claims = {
      tid: 't',
      name: 'N',
      aio: 1,
      rh: 1,
      uti: 1,
      nonce: 1,
      at_hash: 1,
      c_hash: 1,
      xms_st: 1,
      xms_tcdt: 1,
      xms_ftd: 1,
      sid: 1,
      ipaddr: 1,
      groups: ['a', 'b', 'c'],
      roles: ['r'],
    };
    expect(claimSnapshot(claims)).toEqual({ tid: 't', name: 'N', groups: '3 groups', roles: ['r'] });
    expect(claimSnapshot({ groups: 'not a list' })).toEqual({ groups: 'not a list' });
  });
});
