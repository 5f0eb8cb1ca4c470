import Link from 'next/link';
import type { TargetSnapshot } from '@/server/audit/change-target';
import { targetTypeLabels } from './change-words';

/**
 * What a change was made to, in words: a user's name, UPN and Entra object ID (as recorded
 * with the change), a group's name, a settings version; linked to its page where there is one.
 */
export function ChangeTarget({ type, id, name, target }: { type: string; id: string | null; name?: string | null; target?: TargetSnapshot | null }) {
  const label = (targetTypeLabels as Record<string, string>)[type] ?? type;
  if (type === 'user' && id) {
    const display = target?.displayName ?? target?.upn ?? (name ? name.split(' · ')[0] : null);
    return (
      <span className="block">
        <span className="text-xs text-slate-600">{label} </span>
        <Link className="text-brand-700 underline" href={`/users/${encodeURIComponent(id)}`} onClick={(e) => e.stopPropagation()}>
          {display ?? id}
        </Link>
        {target?.upn && target.upn !== display ? <span className="block break-all text-xs text-slate-700">{target.upn}</span> : null}
        {target ? (
          <span className="block text-xs text-slate-600">
            Object ID <code className="break-all">{target.objectId}</code>
          </span>
        ) : name && name.includes(' · ') ? (
          <span className="block break-all text-xs text-slate-700">{name.split(' · ').slice(1).join(' · ')}</span>
        ) : null}
      </span>
    );
  }
  if (type === 'settings')
    return (
      <Link className="text-brand-700 underline" href="/settings" onClick={(e) => e.stopPropagation()}>
        {label}
        {id ? ` v${id}` : ''}
      </Link>
    );
  if (type === 'group' && id) {
    return (
      <span className="block">
        <span className="text-xs text-slate-600">{label} </span>
        {name ? <span className="font-medium">{name}</span> : null}
        <code className="block break-all text-xs text-slate-600">{id}</code>
      </span>
    );
  }
  if (type === 'audit')
    return (
      <span>
        {label}
        {id ? ` (${id === 'changes' ? 'change log' : 'login history'})` : ''}
      </span>
    );
  return <span>{label}</span>;
}
