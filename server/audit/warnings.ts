import 'server-only';
import type { z } from 'zod';
import type { auditWarningSchema, windowCountsSchema } from './schemas';

/** Counts of one 24-hour window, the input of the warnings (see {@link windowCountsSchema}). */
export type WindowCounts = z.infer<typeof windowCountsSchema>;
export type AuditWarning = z.infer<typeof auditWarningSchema>;
export type AuditWarningCode = AuditWarning['code'];

/**
 * When a change is "sharp". Both windows need enough volume for a rate to mean anything
 * (a quiet night with 3 refusals out of 10 is not an incident), and the change must be
 * large both in points and relative to where it was, so that 2% → 12% refusals warns
 * (10 points, 6×) while 60% → 70% of Seamless SSO does not (10 points, 17%).
 */
export const WARNING_THRESHOLDS = {
  /** Attempts in each window before the refusal rate is compared. */
  minAttempts: 50,
  /** Accepted sign-ins with a reported method in each window before the Seamless SSO share is compared. */
  minSignInsWithMethod: 50,
  /** Absolute change, in share points (0.10 = 10 percentage points). */
  minPointChange: 0.1,
  /** Change relative to the larger of the two values (0.25 = a quarter). */
  minRelativeChange: 0.25,
} as const;

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

function isSharp(previous: number, current: number): boolean {
  // the epsilon keeps 12% - 2% (0.09999999999999999 in floating point) at 10 points
  const delta = Math.abs(current - previous) + 1e-9;
  return delta >= WARNING_THRESHOLDS.minPointChange && delta >= WARNING_THRESHOLDS.minRelativeChange * Math.max(previous, current);
}

/** Warnings for the overview: the last 24 h against the 24 h before. Pure. */
export function auditWarnings(previous: WindowCounts, current: WindowCounts): AuditWarning[] {
  const warnings: AuditWarning[] = [];
  if (previous.attempts >= WARNING_THRESHOLDS.minAttempts && current.attempts >= WARNING_THRESHOLDS.minAttempts) {
    const before = previous.refused / previous.attempts;
    const now = current.refused / current.attempts;
    if (isSharp(before, now)) {
      const rose = now > before;
      warnings.push({
        code: rose ? 'refusal_rate_rose' : 'refusal_rate_fell',
        severity: rose ? 'warning' : 'notice',
        previous: before,
        current: now,
        message: rose
          ? `Refused sign-ins rose from ${pct(before)} to ${pct(now)} of attempts in the last 24 hours. Filter the history to refused attempts to see the reasons.`
          : `Refused sign-ins fell from ${pct(before)} to ${pct(now)} of attempts in the last 24 hours.`,
      });
    }
  }
  const min = WARNING_THRESHOLDS.minSignInsWithMethod;
  if (previous.acceptedWithMethod >= min && current.acceptedWithMethod >= min) {
    const before = (previous.methods.wia ?? 0) / previous.acceptedWithMethod;
    const now = (current.methods.wia ?? 0) / current.acceptedWithMethod;
    if (isSharp(before, now)) {
      const fell = now < before;
      const pwdBefore = (previous.methods.pwd ?? 0) / previous.acceptedWithMethod;
      const pwdNow = (current.methods.pwd ?? 0) / current.acceptedWithMethod;
      // Seamless SSO failing silently sends people to the password prompt
      const kerberos =
        fell && pwdNow - pwdBefore >= (before - now) / 2
          ? ` Password sign-ins rose from ${pct(pwdBefore)} to ${pct(pwdNow)}: Seamless SSO is falling back to passwords. Check the Kerberos decryption key of the AZUREADSSOACC computer account (a failed or missed key rollover) and the intranet zone settings of the browsers.`
          : '';
      warnings.push({
        code: fell ? 'seamless_sso_share_fell' : 'seamless_sso_share_rose',
        severity: fell ? 'warning' : 'notice',
        previous: before,
        current: now,
        message: `Seamless SSO (Windows integrated) sign-ins ${fell ? 'fell' : 'rose'} from ${pct(before)} to ${pct(now)} of sign-ins with a reported method in the last 24 hours.${kerberos}`,
      });
    }
  }
  return warnings;
}
