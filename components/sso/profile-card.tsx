import { signInMethodLabel } from '@/shared/sign-in-methods';
import type { IceUser } from '@/lib/sso-api';
import { Time } from '@/components/ui/time';

/** The signed-in ICE user as /api/login (or /api/session) returned it. */
export function ProfileCard({
  user,
  expiresAt,
  method,
  overage = false,
  importsGroups = true,
}: {
  user: IceUser;
  expiresAt: string;
  method: string | null | undefined;
  /** The token's groups did not fit in it (groups overage). */
  overage?: boolean;
  importsGroups?: boolean;
}) {
  const rows: [string, React.ReactNode][] = [
    ['Name', user.displayName ?? '—'],
    ['Email', user.email ?? '—'],
    ['Tenant', <code key="t">{user.tenantId}</code>],
    ['Object ID', <code key="o">{user.objectId}</code>],
    ['Sign-in method', method === undefined ? 'unknown' : signInMethodLabel(method)],
    ['Session ends', <Time key="e" value={expiresAt} />],
  ];
  return (
    <div className="space-y-5">
      <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[10rem_1fr]">
        {rows.map(([k, v]) => (
          <div key={k} className="contents">
            <dt className="font-medium text-slate-600">{k}</dt>
            <dd className="break-all">{v}</dd>
          </div>
        ))}
      </dl>
      <div>
        <h3 className="text-sm font-semibold">Groups ({user.groups.length})</h3>
        {overage ? (
          <p className="mt-1 text-sm text-slate-700" data-testid="groups-overage">
            {user.groups.length === 0
              ? 'You are in more groups than fit in a sign-in token (groups overage), so Microsoft sent none. The server reads them from Microsoft Graph when Graph access is set up; none could be read this time. Ask your administrator if you need group-based access.'
              : 'You are in more groups than fit in a sign-in token (groups overage): these were read from Microsoft Graph.'}
          </p>
        ) : null}
        {user.groups.length === 0 ? (
          overage ? null : (
            <p className="mt-1 text-sm text-slate-700">
              {importsGroups ? 'No groups were imported for this user: the token listed none that this server imports.' : 'This server does not import groups.'}
            </p>
          )
        ) : (
          <ul aria-label="Groups" className="mt-2 flex flex-wrap gap-2">
            {user.groups.map((g) => (
              <li key={g.id} className="rounded-md border border-slate-200 bg-slate-50 px-2 py-1 text-xs">
                {g.name ? (
                  <>
                    <span className="font-medium">{g.name}</span> <code className="text-slate-600">{g.id}</code>
                  </>
                ) : (
                  <code>{g.id}</code>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
