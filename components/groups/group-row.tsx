'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { useTRPC, type RouterOutputs } from '@/lib/trpc';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { TextField } from '@/components/ui/field';
import { Time } from '@/components/ui/time';
import { useConsoleSession } from '@/components/console/console-context';

type Group = RouterOutputs['groups']['list']['items'][number];

/** One group; admins edit its display name and assignment group in place. */
export function GroupRow({ group }: { group: Group }) {
  const { isAdmin } = useConsoleSession();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [displayName, setDisplayName] = useState(group.displayName ?? '');
  const [assignmentGroup, setAssignmentGroup] = useState(group.assignmentGroup ?? '');
  const update = useMutation(
    trpc.groups.update.mutationOptions({
      onSuccess: async () => {
        setEditing(false);
        await queryClient.invalidateQueries({ queryKey: trpc.groups.pathKey() });
      },
    }),
  );
  const label = group.name ?? group.id;
  if (editing) {
    return (
      <tr className="border-b border-slate-100 bg-brand-50/40 align-top">
        <td className="px-3 py-2" colSpan={2}>
          <form
            className="grid grid-cols-1 gap-3 sm:grid-cols-2"
            aria-label={`Edit group ${label}`}
            onSubmit={(e) => {
              e.preventDefault();
              update.mutate({ id: group.id, displayName, assignmentGroup });
            }}
          >
            <TextField
              label="Display name"
              value={displayName}
              maxLength={256}
              onChange={(e) => setDisplayName(e.target.value)}
              help={<code>{group.id}</code>}
              autoFocus
            />
            <TextField
              label="Assignment group"
              value={assignmentGroup}
              maxLength={256}
              onChange={(e) => setAssignmentGroup(e.target.value)}
              help="The ICE Server group its members are assigned to."
            />
            <div className="flex gap-2 sm:col-span-2">
              <Button type="submit" size="sm" variant="primary" busy={update.isPending}>
                Save
              </Button>
              <Button
                size="sm"
                onClick={() => {
                  setEditing(false);
                  update.reset();
                  setDisplayName(group.displayName ?? '');
                  setAssignmentGroup(group.assignmentGroup ?? '');
                }}
              >
                Cancel
              </Button>
              {update.isError ? (
                <p role="alert" className="text-sm text-red-700">
                  {update.error.message}
                </p>
              ) : null}
            </div>
          </form>
        </td>
        <td className="px-3 py-2">{group.memberCount}</td>
        <td className="px-3 py-2" colSpan={2} />
      </tr>
    );
  }
  return (
    <tr className="border-b border-slate-100 align-top">
      <td className="px-3 py-2">
        {group.name ? <span className="font-medium">{group.name}</span> : <span className="text-slate-700 dark:text-slate-300">(no name)</span>}
        {!group.displayName && group.graphName ? <span className="ml-2 text-xs text-slate-600 dark:text-slate-400">(name from Entra ID)</span> : null}
        <span className="flex flex-wrap items-center gap-2">
          <code className="select-all text-xs text-slate-700 dark:text-slate-300">{group.id}</code>
          <CopyButton value={group.id} label={`Copy the object ID of ${label}`} />
        </span>
      </td>
      <td className="px-3 py-2">{group.assignmentGroup ?? <span className="text-slate-400">—</span>}</td>
      <td className="px-3 py-2">
        <Link className="text-brand-700 underline" href={`/users?group=${group.id}`} aria-label={`${group.memberCount} members of ${label}`}>
          {group.memberCount}
        </Link>
      </td>
      <td className="whitespace-nowrap px-3 py-2">
        <Time value={group.lastSeenAt} />
      </td>
      <td className="px-3 py-2 text-right">
        {isAdmin ? (
          <Button size="sm" onClick={() => setEditing(true)} aria-label={`Edit ${label}`}>
            Edit
          </Button>
        ) : null}
      </td>
    </tr>
  );
}
