'use client';
import { Button } from '@/components/ui/button';
import type { ConsoleActor } from './console-context';
import { Centered } from './centered';

/** Signed in with Entra ID, but with neither role. */
export function NoAccess({ actor, onSignOut }: { actor: ConsoleActor; onSignOut: () => void }) {
  return (
    <Centered>
      <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <h1 className="text-2xl font-semibold">No access</h1>
        <p className="mt-3 text-sm">
          You are signed in as <strong>{actor.displayName ?? actor.name}</strong> ({actor.name}), but you have no role in the ICE SSO console.
        </p>
        {actor.groupsUnresolved ? (
          <p role="note" className="mt-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950" data-testid="groups-unresolved">
            You are in more groups than fit in your token (groups overage), so your admin or auditor group memberships could not be confirmed. Group memberships
            stored at earlier sign-ins never grant a role. An app role works regardless of overage.
          </p>
        ) : null}
        <p className="mt-3 text-sm">To use the console you need one of these, given by an administrator of your Entra ID tenant:</p>
        <ul className="mt-2 list-disc space-y-1 pl-5 text-sm">
          <li>
            the app role <code className="font-semibold">IceSso.Admin</code> (change settings, users and groups) or{' '}
            <code className="font-semibold">IceSso.Auditor</code> (read everything) on the ICE Server app registration, assigned under Enterprise applications →
            Users and groups;
          </li>
          <li>or membership in one of the admin or auditor groups named in this server&apos;s SSO settings.</li>
        </ul>
        <p className="mt-3 text-sm text-slate-600">After a role is assigned, sign out and sign in again to get a token that carries it.</p>
        <Button className="mt-5" onClick={onSignOut}>
          Sign out
        </Button>
      </div>
    </Centered>
  );
}
