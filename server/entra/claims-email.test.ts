import { describe, expect, it } from 'vitest';
import { subjectOf } from './claims';

describe('the e-mail address of a token subject', () => {
  it('takes email when the token marks it verified (xms_edov: true)', () => {
    expect(subjectOf({ email: 'anna@contoso.com', xms_edov: true, upn: 'anna.b@contoso.onmicrosoft.com' }).email).toBe('anna@contoso.com');
  });
  it('prefers the tenant-issued upn over an unverified email', () => {
    expect(subjectOf({ email: 'ceo@fabrikam.com', upn: 'guest_x@contoso.onmicrosoft.com' }).email).toBe('guest_x@contoso.onmicrosoft.com');
    expect(subjectOf({ email: 'ceo@fabrikam.com', xms_edov: false, upn: 'guest_x@contoso.onmicrosoft.com' }).email).toBe('guest_x@contoso.onmicrosoft.com');
  });
  it('falls back to an unverified email, then preferred_username', () => {
    expect(subjectOf({ email: 'anna@contoso.com', preferred_username: 'anna.b@contoso.com' }).email).toBe('anna@contoso.com');
    expect(subjectOf({ preferred_username: 'anna.b@contoso.com' }).email).toBe('anna.b@contoso.com');
    expect(subjectOf({}).email).toBeNull();
  });
  it('counts hasgroups: true as groups overage, and a groups list as no overage', () => {
    expect(subjectOf({ hasgroups: true }).groups).toBe('overage');
    expect(subjectOf({ _claim_names: { groups: 'src1' } }).groups).toBe('overage');
    expect(subjectOf({ groups: ['a'], hasgroups: true }).groups).toEqual(['a']);
  });
});
