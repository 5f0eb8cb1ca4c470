'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/lib/trpc';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { TextField } from '@/components/ui/field';

/** Disable (revokes sessions, refuses later logins with user_disabled) or enable, after a confirmation. Admins only. */
export function UserStatusControl({ id, name, status, isYou = false }: { id: string; name: string; status: 'active' | 'disabled'; isYou?: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [comment, setComment] = useState('');
  // disabling yourself takes an explicit yes (the server refuses it without confirmSelf)
  const [selfConfirmed, setSelfConfirmed] = useState(false);
  const self = isYou && status === 'active';
  const [done, setDone] = useState<string | null>(null);
  const target = status === 'active' ? 'disabled' : 'active';
  const setStatus = useMutation(
    trpc.users.setStatus.mutationOptions({
      onSuccess: async (r) => {
        setOpen(false);
        setComment('');
        setSelfConfirmed(false);
        setDone(
          r.status === 'disabled'
            ? `${name} is disabled. ${r.sessionsRevoked} session${r.sessionsRevoked === 1 ? '' : 's'} revoked.`
            : `${name} is enabled again.`,
        );
        await queryClient.invalidateQueries({ queryKey: trpc.users.pathKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.overview.pathKey() });
      },
    }),
  );
  const verb = target === 'disabled' ? 'Disable' : 'Enable';
  return (
    <div className="space-y-2">
      <Button
        variant={target === 'disabled' ? 'danger' : 'primary'}
        onClick={() => {
          setDone(null);
          setStatus.reset();
          setOpen(true);
        }}
      >
        {verb} user
      </Button>
      <div aria-live="polite">{done ? <Alert tone="success">{done}</Alert> : null}</div>
      <ConfirmDialog
        open={open}
        title={self ? `Disable your own account (${name})?` : `${verb} ${name}?`}
        confirmLabel={`${verb} user`}
        tone={target === 'disabled' ? 'danger' : 'primary'}
        busy={setStatus.isPending}
        confirmDisabled={self && !selfConfirmed}
        onCancel={() => {
          setOpen(false);
          setSelfConfirmed(false);
        }}
        onConfirm={() => setStatus.mutate({ id, status: target, comment: comment.trim() || undefined, ...(self ? { confirmSelf: true as const } : {}) })}
      >
        {self ? (
          <div className="mb-3 space-y-2 rounded-md border border-amber-400 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-600 dark:bg-amber-950 dark:text-amber-100">
            <p className="font-semibold">This is you.</p>
            <p>
              Disabling your own account ends your console session at once, and you cannot sign in to the console again until another admin, or the break-glass
              admin, enables it.
            </p>
            <label className="flex items-start gap-2">
              <input type="checkbox" className="mt-0.5 h-4 w-4 accent-red-700" checked={selfConfirmed} onChange={(e) => setSelfConfirmed(e.target.checked)} />
              <span>I understand: disable my own account and sign me out</span>
            </label>
          </div>
        ) : null}
        <p className="mb-3">
          {target === 'disabled'
            ? 'Their sessions end now, and every later sign-in is refused with user_disabled until they are enabled again.'
            : 'They can sign in again at their next attempt.'}
        </p>
        <TextField label="Comment (optional, written to the change log)" value={comment} maxLength={500} onChange={(e) => setComment(e.target.value)} />
        {setStatus.isError ? (
          <div className="mt-3">
            <Alert tone="error">{setStatus.error.message}</Alert>
          </div>
        ) : null}
      </ConfirmDialog>
    </div>
  );
}
