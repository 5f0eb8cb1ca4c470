'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/lib/trpc';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { TextField } from '@/components/ui/field';

/** Disable (revokes sessions, refuses later logins with user_disabled) or enable, after a confirmation. Admins only. */
export function UserStatusControl({ id, name, status }: { id: string; name: string; status: 'active' | 'disabled' }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [comment, setComment] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const target = status === 'active' ? 'disabled' : 'active';
  const setStatus = useMutation(
    trpc.users.setStatus.mutationOptions({
      onSuccess: async (r) => {
        setOpen(false);
        setComment('');
        setDone(r.status === 'disabled' ? `${name} is disabled. ${r.sessionsRevoked} session${r.sessionsRevoked === 1 ? '' : 's'} revoked.` : `${name} is enabled again.`);
        await queryClient.invalidateQueries({ queryKey: trpc.users.pathKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.overview.pathKey() });
      },
    }),
  );
  const verb = target === 'disabled' ? 'Disable' : 'Enable';
  return (
    <div className="space-y-2">
      <Button variant={target === 'disabled' ? 'danger' : 'primary'} onClick={() => { setDone(null); setStatus.reset(); setOpen(true); }}>
        {verb} user
      </Button>
      <div aria-live="polite">{done ? <Alert tone="success">{done}</Alert> : null}</div>
      <ConfirmDialog
        open={open}
        title={`${verb} ${name}?`}
        confirmLabel={`${verb} user`}
        tone={target === 'disabled' ? 'danger' : 'primary'}
        busy={setStatus.isPending}
        onCancel={() => setOpen(false)}
        onConfirm={() => setStatus.mutate({ id, status: target, comment: comment.trim() || undefined })}
      >
        <p className="mb-3">
          {target === 'disabled'
            ? 'Their sessions end now, and every later sign-in is refused with user_disabled until they are enabled again.'
            : 'They can sign in again at their next attempt.'}
        </p>
        <TextField label="Comment (optional, written to the change log)" value={comment} maxLength={500} onChange={(e) => setComment(e.target.value)} />
        {setStatus.isError ? <div className="mt-3"><Alert tone="error">{setStatus.error.message}</Alert></div> : null}
      </ConfirmDialog>
    </div>
  );
}
