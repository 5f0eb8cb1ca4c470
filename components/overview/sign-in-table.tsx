import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { Time } from '@/components/ui/time';
import { DataTable } from '@/components/ui/data-table';

export interface SignInRow {
  id: number;
  ts: number;
  outcome: 'accepted' | 'refused';
  reason: string | null;
  reasonLabel: string;
  signInMethodLabel: string;
  clientAppId: string | null;
  ip: string | null;
  username?: string | null;
  displayName?: string | null;
  userId?: string | null;
}

export function OutcomeBadge({ outcome }: { outcome: 'accepted' | 'refused' }) {
  return <Badge tone={outcome === 'accepted' ? 'good' : 'bad'}>{outcome}</Badge>;
}

/** A compact list of sign-in attempts (overview, user page). */
export function SignInTable({ rows, showUser, caption }: { rows: SignInRow[]; showUser: boolean; caption: string }) {
  if (rows.length === 0) return <p className="text-sm text-slate-600">No sign-in attempts yet.</p>;
  return (
    <DataTable caption={caption} minWidth="min-w-[36rem]">
      <thead>
        <tr className="border-b border-slate-300 text-left">
          <th scope="col" className="py-2 pr-3">
            Time
          </th>
          {showUser ? (
            <th scope="col" className="py-2 pr-3">
              User
            </th>
          ) : null}
          <th scope="col" className="py-2 pr-3">
            Outcome
          </th>
          <th scope="col" className="py-2 pr-3">
            Reason
          </th>
          <th scope="col" className="py-2 pr-3">
            Sign-in method
          </th>
          <th scope="col" className="py-2">
            IP
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id} className="border-b border-slate-100 align-top">
            <td className="whitespace-nowrap py-1.5 pr-3">
              <Time value={r.ts} />
            </td>
            {showUser ? (
              <td className="py-1.5 pr-3">
                {r.userId ? (
                  <Link className="text-brand-700 underline" href={`/users/${encodeURIComponent(r.userId)}`}>
                    {r.displayName ?? r.username ?? r.userId}
                  </Link>
                ) : (
                  (r.username ?? <span className="text-slate-400">unknown</span>)
                )}
              </td>
            ) : null}
            <td className="py-1.5 pr-3">
              <OutcomeBadge outcome={r.outcome} />
            </td>
            <td className="py-1.5 pr-3">
              {r.reason ? (
                <>
                  {r.reasonLabel} <code className="text-xs text-slate-500">{r.reason}</code>
                </>
              ) : (
                <span className="text-slate-400">—</span>
              )}
            </td>
            <td className="py-1.5 pr-3">{r.signInMethodLabel}</td>
            <td className="py-1.5 font-mono text-xs">{r.ip ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}
