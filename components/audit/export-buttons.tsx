'use client';
import { useState } from 'react';
import { downloadWithCredentials } from '@/lib/download';
import { Button } from '@/components/ui/button';

/** CSV / JSON lines of exactly the filtered rows, streamed by /api/audit/export (each export is itself logged). */
export function ExportButtons({ stream, filter }: { stream: 'logins' | 'changes'; filter: Record<string, string | undefined> }) {
  const [busy, setBusy] = useState<'csv' | 'jsonl' | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  async function run(format: 'csv' | 'jsonl') {
    const params = new URLSearchParams({ stream, format });
    for (const [k, v] of Object.entries(filter)) if (v) params.set(k, v);
    setBusy(format);
    setMessage(null);
    try {
      const name = await downloadWithCredentials(`/api/audit/export?${params}`, `${stream}.${format}`);
      setMessage({ ok: true, text: `Downloaded ${name}.` });
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
      <span aria-live="polite" className={`text-xs ${message?.ok === false ? 'text-red-700' : 'text-slate-600'}`}>
        {message?.text}
      </span>
    </div>
  );
}
