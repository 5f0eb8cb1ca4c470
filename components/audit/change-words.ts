export { changeActionLabels, changeTargetTypeLabels as targetTypeLabels, changeActionLabel as actionLabel } from '@/shared/change-actions';

/** A changed value, short enough for a table cell. */
export function shortValue(value: unknown): string {
  if (value === null || value === undefined) return '(none)';
  if (Array.isArray(value)) return value.length ? value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ') : '(empty list)';
  if (typeof value === 'object') return JSON.stringify(value);
  if (value === '') return '(empty)';
  return String(value);
}

const actorKinds: Record<string, string> = { entra: 'Entra ID user', local: 'local admin', cli: 'command line', system: 'system' };

/** Who kind of actor, in words. */
export function actorKindLabel(kind: string): string {
  return actorKinds[kind] ?? kind;
}
