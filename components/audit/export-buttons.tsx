'use client';
import { useState } from 'react';
import { useTRPCClient } from '@/lib/trpc';
import { Button } from '@/components/ui/button';

/**
 * CSV / JSON lines of exactly the filtered rows. The server signs a one-minute link
 * (`audit.exportLink`) and the browser follows it, so even millions of rows stream straight
 * to disk; each export is itself logged in the change log.
 */
export function ExportButtons({ stream, filter }: { stream: 'logins' | 'changes'; filter: Record<string, string | undefined> }) {
  const client = useTRPCClient();
  const [busy, setBusy] = useState<'csv' | 'jsonl' | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  async function run(format: 'csv' | 'jsonl') {
    const given = Object.fromEntries(Object.entries(filter).filter(([, v]) => v)) as Record<string, string>;
    setBusy(format);
    setMessage(null);
    try {
      const { url } =
        stream === 'logins'
          ? await client.audit.exportLink.mutate({ stream, format, filter: given })
          : await client.audit.exportLink.mutate({ stream, format, filter: given });
      const a = document.createElement('a');
      a.href = url;
      a.download = '';
      document.body.append(a);
      a.click();
      a.remove();
      setMessage({ ok: true, text: `Export started: the browser saves the ${format === 'csv' ? 'CSV' : 'JSON lines'} file.` });
    } catch (err) {
      setMessage({ ok: false, text: (err as Error).message });
    } finally {
      setBusy(null);
    }
  }
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button size="sm" busy={busy === 'csv'} onClick={() => void run('csv')}>
        Export CSV
      </Button>
      <Button size="sm" busy={busy === 'jsonl'} onClick={() => void run('jsonl')}>
        Export JSON lines
      </Button>
      <span className="text-xs text-slate-600">Exported times are UTC (ISO 8601, ending in Z).</span>
      <span aria-live="polite" className={`text-xs ${message?.ok === false ? 'text-red-700' : 'text-slate-600'}`}>
        {message?.text}
      </span>
    </div>
  );
}
