import 'server-only';
import type { Db } from '@/db/client';
import { encodeCursor, readPage, type Page, type PageInput } from '@/server/lib/paging';
import type { SettingsVersion } from './schemas';
import { listSettingsVersions } from './service';

/** One page of the saved versions, newest first, with keyset paging on the version number. */
export function listSettingsVersionPage(db: Db, page: PageInput = {}): Page<SettingsVersion> {
  const { after, limit } = readPage('settingsVersions', page);
  const rows = listSettingsVersions(db, { limit: limit + 1, before: after?.version });
  const more = rows.length > limit;
  if (more) rows.length = limit;
  const last = rows.at(-1);
  return { items: rows, nextCursor: more && last ? encodeCursor('settingsVersions', { version: last.version }) : null };
}
