import { describe, expect, it } from 'vitest';
import { LoginRefusedError } from './errors';
import { isReasonCode, reasonCodes, reasons } from '@/shared/login-reasons';

/** docs/contract.md's table of POST /api/login failures: status and OAuth error of each reason code. */
const DESIGN: Record<string, [number, string]> = {
  missing_token: [400, 'invalid_request'],
  malformed_request: [400, 'invalid_request'],
  ...Object.fromEntries(
    [
      'malformed_token',
      'unsupported_alg',
      'unknown_key',
      'bad_signature',
      'token_expired',
      'token_not_yet_valid',
      'issuer_mismatch',
      'tenant_mismatch',
      'audience_mismatch',
      'missing_scope',
      'client_not_allowed',
      'missing_claim',
      'token_replayed',
    ].map((r) => [r, [401, 'invalid_token']]),
  ),
  user_disabled: [403, 'access_denied'],
  group_required: [403, 'access_denied'],
  request_too_large: [413, 'invalid_request'],
  too_many_attempts: [429, 'rate_limited'],
  keys_unavailable: [503, 'temporarily_unavailable'],
  database_unavailable: [503, 'temporarily_unavailable'],
  sso_not_configured: [503, 'sso_not_configured'],
};

describe('the reason codes of POST /api/login', () => {
  it("carry docs/contract.md's status and OAuth error", () => {
    for (const [code, expected] of Object.entries(DESIGN)) {
      expect(isReasonCode(code)).toBe(true);
      const r = reasons[code as keyof typeof reasons];
      expect([code, r.status, r.error]).toEqual([code, ...expected]);
    }
  });
  it('each have a distinct label and a message for the person signing in', () => {
    const labels = reasonCodes.map((c) => reasons[c].label);
    expect(new Set(labels).size).toBe(reasonCodes.length);
    for (const c of reasonCodes) {
      expect(reasons[c].label.length, c).toBeGreaterThan(5);
      expect(reasons[c].message, c).toMatch(/^[A-Z].{15,}\.$/);
    }
  });
  it('are recognised as such, and nothing else is (not even Object.prototype names)', () => {
    expect(reasonCodes).toContain('token_expired');
    for (const v of ['toString', 'constructor', '__proto__', 'hasOwnProperty', '', 'TOKEN_EXPIRED', 42, null, undefined]) expect(isReasonCode(v)).toBe(false);
  });
  it('become errors with the status, OAuth error and message of the code, plus the detail', () => {
    const plain = new LoginRefusedError('token_expired');
    expect(plain).toMatchObject({
      code: 'ERR_LOGIN_REFUSED',
      reason: 'token_expired',
      status: 401,
      error: 'invalid_token',
      message: reasons.token_expired.message,
      detail: undefined,
    });
    const detailed = new LoginRefusedError('too_many_attempts', 'Wait.', 30);
    expect(detailed).toMatchObject({ status: 429, error: 'rate_limited', message: `${reasons.too_many_attempts.message} Wait.`, retryAfterSeconds: 30 });
    expect(detailed).toBeInstanceOf(Error);
  });
});
