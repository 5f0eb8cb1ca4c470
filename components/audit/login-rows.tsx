'use client';
import Link from 'next/link';
import type { RouterOutputs } from '@/lib/trpc';
import { Button } from '@/components/ui/button';
import { DataTable } from '@/components/ui/data-table';
import { Time } from '@/components/ui/time';
import { OutcomeBadge } from '@/components/overview/sign-in-table';

type LoginRow = RouterOutputs['logins']['list']['items'][number];

const shortId = (id: string) => `${id.slice(0, 8)}…`;

function UserCell({ e }: { e: LoginRow }) {
  const name = e.displayName ?? e.username ?? e.userId;
  return (
    <>
      {e.userId && name ? (
        <Link className="text-brand-700 underline" href={`/users/${encodeURIComponent(e.userId)}`} onClick={(ev) => ev.stopPropagation()}>
          {name}
        </Link>
      ) : (
        (name ?? <span className="text-slate-600">unknown</span>)
      )}
      {e.username && e.username !== name ? <span className="block break-all text-xs text-slate-600">{e.username}</span> : null}
    </>
  );
}

function Reason({ e }: { e: LoginRow }) {
  if (!e.reason) return <span className="text-slate-600">—</span>;
  return (
    <>
      {e.reasonLabel} <code className="block text-xs text-slate-600">{e.reason}</code>
    </>
  );
}

/**
 * The login history's rows: a table that fits a laptop's card (time, user, outcome, reason,
 * method, token, IP, Details, no sideways scroll), and on a phone a list of cards with time,
 * user, outcome and reason. A click anywhere on a row opens its detail; the row's Details
 * button is the same for the keyboard.
 */
export function LoginRows({ items, selected, onSelect }: { items: LoginRow[]; selected: number | null; onSelect: (id: number) => void }) {
  return (
    <>
      <div className="hidden md:block">
        <DataTable caption="Sign-in attempts, newest first" framed>
          <thead>
            <tr className="border-b border-slate-300 text-left">
              <th scope="col" className="px-2 py-2 lg:px-3">
                Time
              </th>
              <th scope="col" className="px-2 py-2 lg:px-3">
                User
              </th>
              <th scope="col" className="px-2 py-2 lg:px-3">
                Outcome
              </th>
              <th scope="col" className="px-2 py-2 lg:px-3">
                Reason
              </th>
              <th scope="col" className="px-2 py-2 lg:px-3">
                Method
              </th>
              <th scope="col" className="px-2 py-2 lg:px-3">
                Token
              </th>
              <th scope="col" className="px-2 py-2 lg:px-3">
                IP
              </th>
              <th scope="col" className="px-2 py-2 lg:px-3">
                <span className="sr-only">Details</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr
                key={e.id}
                onClick={() => onSelect(e.id)}
                className={`cursor-pointer border-b border-slate-100 align-top hover:bg-slate-50 ${selected === e.id ? 'bg-brand-50' : ''}`}
              >
                <td className="px-2 py-2 lg:px-3">
                  <Time value={e.ts} />
                </td>
                <td className="px-2 py-2 lg:px-3">
                  <UserCell e={e} />
                </td>
                <td className="px-2 py-2 lg:px-3">
                  <OutcomeBadge outcome={e.outcome} />
                </td>
                <td className="px-2 py-2 lg:px-3">
                  <Reason e={e} />
                </td>
                <td className="px-2 py-2 lg:px-3">{e.signInMethodLabel}</td>
                <td className="px-2 py-2 lg:px-3">
                  {e.tokenVersion ? `v${e.tokenVersion}` : '—'}
                  {e.clientAppId ? (
                    <code className="block text-xs text-slate-600" title={`Client app ${e.clientAppId}`}>
                      {shortId(e.clientAppId)}
                    </code>
                  ) : null}
                </td>
                <td className="break-all px-2 py-2 font-mono text-xs lg:px-3">{e.ip ?? '—'}</td>
                <td className="px-2 py-2 text-right lg:px-3">
                  <Button
                    size="sm"
                    aria-label={`Details of attempt ${e.id}`}
                    aria-pressed={selected === e.id}
                    onClick={(ev) => {
                      ev.stopPropagation();
                      onSelect(e.id);
                    }}
                  >
                    Details
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      </div>
      <ul aria-label="Sign-in attempts, newest first" className="space-y-2 md:hidden">
        {items.map((e) => (
          <li key={e.id}>
            <button
              type="button"
              onClick={() => onSelect(e.id)}
              aria-pressed={selected === e.id}
              className={`block w-full rounded-lg border border-slate-200 p-3 text-left text-sm ${selected === e.id ? 'bg-brand-50' : 'bg-white'}`}
            >
              <span className="flex items-start justify-between gap-2">
                <span className="font-medium">{e.displayName ?? e.username ?? 'unknown user'}</span>
                <OutcomeBadge outcome={e.outcome} />
              </span>
              {e.username && e.username !== e.displayName ? <span className="block break-all text-xs text-slate-600">{e.username}</span> : null}
              <span className="mt-1 block text-xs text-slate-700">
                <Time value={e.ts} />
              </span>
              {e.reason ? (
                <span className="mt-1 block text-xs">
                  {e.reasonLabel} <code className="text-slate-600">({e.reason})</code>
                </span>
              ) : null}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
