import { shortValue } from './change-words';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A recorded value: GUIDs with the group's or app's name where the server knows it. */
export function ChangeValue({ value, names }: { value: unknown; names: Record<string, string> }) {
  const list = Array.isArray(value) ? value : typeof value === 'string' && GUID.test(value) ? [value] : null;
  if (!list || list.length === 0 || !list.every((v) => typeof v === 'string' && GUID.test(v))) return <>{shortValue(value)}</>;
  return (
    <>
      {(list as string[]).map((id, i) => (
        <span key={id} className="block">
          {names[id.toLowerCase()] ? <span className="font-sans font-medium">{names[id.toLowerCase()]} </span> : null}
          <span className="break-all">{id}</span>
          {i < list.length - 1 ? <span className="sr-only">,</span> : null}
        </span>
      ))}
    </>
  );
}
