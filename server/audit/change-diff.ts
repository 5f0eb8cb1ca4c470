import 'server-only';
import type { z } from 'zod';
import type { changeDiffEntrySchema } from './schemas';

/** One changed value between the `before` and `after` of a change event. */
export type ChangeDiffEntry = z.infer<typeof changeDiffEntrySchema>;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The values that differ between two JSON documents, object keys recursed into, arrays
 * compared whole (a group list that changed shows as one entry). Pure: the console uses it.
 */
export function diffChange(before: unknown, after: unknown, path = ''): ChangeDiffEntry[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffChange(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path, before: before === undefined ? null : before, after: after === undefined ? null : after }];
}
