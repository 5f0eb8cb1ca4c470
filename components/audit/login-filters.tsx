'use client';
import { loginReasonLabels } from '@/shared/login-reason-labels';
import { signInMethodLabels } from '@/shared/sign-in-methods';
import { Button } from '@/components/ui/button';
import { SelectField } from '@/components/ui/field';
import { TextFilter } from '@/components/ui/text-filter';
import { TimeRangeFields } from './time-range-fields';

export const loginFilterKeys = ['from', 'to', 'outcome', 'reason', 'user', 'userId', 'clientAppId', 'signInMethod', 'ip'] as const;
export type LoginFilterKey = (typeof loginFilterKeys)[number];
export type LoginFilterValues = Partial<Record<LoginFilterKey, string>>;

/** The `signInMethod` filter value for v2 tokens, which report no method (server/audit/login-filter.ts). */
const NOT_REPORTED = 'none';

/** Filters of the login history: time range, outcome, reason, user, client app, sign-in method, IP. */
export function LoginFilters({ values, set }: { values: LoginFilterValues; set: (patch: LoginFilterValues) => void }) {
  return (
    <form
      role="search"
      aria-label="Filter the login history"
      onSubmit={(e) => e.preventDefault()}
      className="grid grid-cols-1 gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 xl:grid-cols-4"
    >
      <TimeRangeFields from={values.from} to={values.to} onChange={(r) => set({ from: r.from, to: r.to })} />
      <SelectField label="Outcome" value={values.outcome ?? ''} onChange={(e) => set({ outcome: e.target.value || undefined })}>
        <option value="">Any outcome</option>
        <option value="accepted">Accepted</option>
        <option value="refused">Refused</option>
      </SelectField>
      <SelectField label="Reason" value={values.reason ?? ''} onChange={(e) => set({ reason: e.target.value || undefined })}>
        <option value="">Any reason</option>
        {Object.entries(loginReasonLabels).map(([code, label]) => (
          <option key={code} value={code}>
            {label} ({code})
          </option>
        ))}
      </SelectField>
      <TextFilter label="User" value={values.user} placeholder="Name, email, user name or object ID" onCommit={(v) => set({ user: v, userId: undefined })} />
      <SelectField label="Sign-in method" value={values.signInMethod ?? ''} onChange={(e) => set({ signInMethod: e.target.value || undefined })}>
        <option value="">Any method</option>
        {Object.entries(signInMethodLabels).map(([code, label]) => (
          <option key={code} value={code}>
            {label}
          </option>
        ))}
        <option value={NOT_REPORTED}>Not reported (v2 tokens)</option>
      </SelectField>
      <TextFilter label="Client app ID" value={values.clientAppId} placeholder="GUID" onCommit={(v) => set({ clientAppId: v })} />
      <TextFilter label="IP address" value={values.ip} placeholder="e.g. 10.0.0.12" onCommit={(v) => set({ ip: v })} />
      <div className="flex items-end">
        <Button size="sm" variant="ghost" onClick={() => set(Object.fromEntries(loginFilterKeys.map((k) => [k, undefined])))}>
          Clear filters
        </Button>
      </div>
      {values.userId ? (
        <p className="text-sm text-slate-700 sm:col-span-2 xl:col-span-4">
          Showing one user only (<code>{values.userId}</code>).{' '}
          <button type="button" className="text-brand-700 underline" onClick={() => set({ userId: undefined })}>
            Show every user
          </button>
        </p>
      ) : null}
    </form>
  );
}
