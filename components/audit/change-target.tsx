import Link from 'next/link';
import { targetTypeLabels } from './change-words';

/** What a change was made to, linked to its page where there is one. */
export function ChangeTarget({ type, id }: { type: string; id: string | null }) {
  const label = (targetTypeLabels as Record<string, string>)[type] ?? type;
  if (type === 'user' && id) return <Link className="text-brand-700 underline" href={`/users/${encodeURIComponent(id)}`}>{label}</Link>;
  if (type === 'settings') return <Link className="text-brand-700 underline" href="/settings">{label}{id ? ` v${id}` : ''}</Link>;
  if (type === 'group' && id) return <span>{label} <code className="block text-[0.7rem] text-slate-500">{id}</code></span>;
  return <span>{label}{id && type !== 'local_admin' ? ` ${id}` : ''}</span>;
}
