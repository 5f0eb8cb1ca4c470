import { reasons, type ReasonCode } from '@/shared/login-reasons';

/** Short words for each reason code (history table, export, filters), from the one reason table. */
export const loginReasonLabels = Object.fromEntries(Object.entries(reasons).map(([code, r]) => [code, r.label])) as Record<ReasonCode, string>;

/** Words for a reason code; accepted sign-ins (no reason) read "Accepted"; unknown codes show themselves. */
export function loginReasonLabel(reason: string | null): string {
  if (reason === null) return 'Accepted';
  return (loginReasonLabels as Record<string, string>)[reason] ?? reason;
}
