'use client';
import { useQuery } from '@tanstack/react-query';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { JsonBlock } from '@/components/ui/json-block';
import { Loading } from '@/components/ui/loading';
import { Section } from '@/components/ui/section';

/** GET /sso-meta exactly as clients see it: status, ETag and body. */
export function LiveSsoMeta() {
  const meta = useQuery({
    queryKey: ['public', 'sso-meta'],
    queryFn: async () => {
      const res = await fetch('/sso-meta', { cache: 'no-store' });
      return { status: res.status, etag: res.headers.get('etag'), body: (await res.json()) as unknown };
    },
  });
  return (
    <Section
      id="live-meta"
      title="Live /sso-meta"
      actions={
        <Button size="sm" busy={meta.isFetching} onClick={() => void meta.refetch()}>
          Reload
        </Button>
      }
    >
      {meta.isPending ? (
        <Loading />
      ) : meta.isError ? (
        <p className="text-sm text-red-700">The server cannot be reached.</p>
      ) : (
        <div className="space-y-2" aria-live="polite">
          <p className="text-sm">
            <Badge tone={meta.data.status === 200 ? 'good' : 'warn'}>HTTP {meta.data.status}</Badge>{' '}
            {meta.data.status === 200 ? 'Clients show the Entra ID button.' : 'Clients hide the Entra ID button.'}
            {meta.data.etag ? <code className="ml-2 text-xs text-slate-700 dark:text-slate-300">ETag {meta.data.etag}</code> : null}
          </p>
          <CopyButton value={JSON.stringify(meta.data.body, null, 2)} label="Copy the /sso-meta document" />
          <JsonBlock value={meta.data.body} label="The /sso-meta document" />
        </div>
      )}
    </Section>
  );
}
