import 'server-only';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { changeEventFilterSchema, changeEventPages, entraIds, type ChangeEventExportRow, type ChangeEventFilterInput } from './change-log';
import { csvRow, csvRows, type CsvCell } from '@/server/audit/csv';
import { loginEventPages, type LoginEventExportRow } from '@/server/audit/login-history';
import { loginEventFilterSchema, type LoginEventFilterInput } from '@/server/audit/login-filter';
import { yieldToEventLoop } from '@/server/audit/sql';

export const exportFormats = ['csv', 'jsonl'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** Options of an export: format and, for CSV, a UTF-8 byte order mark (off by default; Excel on Windows likes it). */
export const exportOptionsSchema = z
  .object({
    format: z.enum(exportFormats).default('csv'),
    bom: z.boolean().default(false),
  })
  .strict();
export type ExportOptionsInput = z.input<typeof exportOptionsSchema>;

const iso = (ms: number) => new Date(ms).toISOString();

interface Columns<R> {
  /** CSV header names, stable: scripts read them. */
  names: readonly string[];
  csv(row: R): CsvCell[];
  json(row: R): Record<string, unknown>;
}

/** Columns of the login history export, in order. */
export const loginExportColumns = [
  'id',
  'time',
  'outcome',
  'reason',
  'reason_text',
  'status',
  'tenant_id',
  'object_id',
  'user_id',
  'username',
  'display_name',
  'client_app_id',
  'token_version',
  'sign_in_method',
  'sign_in_method_text',
  'amr',
  'ip',
  'user_agent',
  'uti',
  // appended (scripts that read the older columns by position keep working): summary rows
  'summary',
  'attempts',
  'last_time',
] as const;

const loginColumns: Columns<LoginEventExportRow> = {
  names: loginExportColumns,
  csv: (r) => [
    r.id,
    iso(r.ts),
    r.outcome,
    r.reason,
    r.reasonLabel,
    r.status,
    r.tenantId,
    r.objectId,
    r.userId,
    r.username,
    r.displayName,
    r.clientAppId,
    r.tokenVersion,
    r.signInMethod,
    r.signInMethodLabel,
    r.amr.join(' '),
    r.ip,
    r.userAgent,
    r.uti,
    r.summary ? 'yes' : 'no',
    r.attempts,
    r.lastTs === null ? null : iso(r.lastTs),
  ],
  json: (r) => ({
    id: r.id,
    time: iso(r.ts),
    ts: r.ts,
    outcome: r.outcome,
    reason: r.reason,
    reasonText: r.reasonLabel,
    status: r.status,
    tenantId: r.tenantId,
    objectId: r.objectId,
    userId: r.userId,
    username: r.username,
    displayName: r.displayName,
    clientAppId: r.clientAppId,
    tokenVersion: r.tokenVersion,
    signInMethod: r.signInMethod,
    signInMethodText: r.signInMethodLabel,
    amr: r.amr,
    ip: r.ip,
    userAgent: r.userAgent,
    uti: r.uti,
    summary: r.summary,
    attempts: r.attempts,
    lastTime: r.lastTs === null ? null : iso(r.lastTs),
    lastTs: r.lastTs,
  }),
};

/** Columns of the change log export, in order; before/after are the recorded JSON documents. */
export const changeExportColumns = [
  'id',
  'time',
  'actor',
  'actor_kind',
  'action',
  'target_type',
  'target_id',
  'target_name',
  'before',
  'after',
  'comment',
  'ip',
  // appended: the actor's stable IDs beside its name
  'actor_id',
  'actor_tenant_id',
  'actor_object_id',
] as const;

const parseJson = (text: string | null): unknown => {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};

const changeColumns: Columns<ChangeEventExportRow> = {
  names: changeExportColumns,
  csv: (r) => {
    const ids = entraIds(r);
    return [
      r.id,
      iso(r.ts),
      r.actor,
      r.actorKind,
      r.action,
      r.targetType,
      r.targetId,
      r.targetName,
      r.before,
      r.after,
      r.comment,
      r.ip,
      r.actorId,
      ids.actorTenantId,
      ids.actorObjectId,
    ];
  },
  json: (r) => ({
    id: r.id,
    time: iso(r.ts),
    ts: r.ts,
    actor: r.actor,
    actorKind: r.actorKind,
    actorId: r.actorId,
    ...entraIds(r),
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    targetName: r.targetName,
    before: parseJson(r.before),
    after: parseJson(r.after),
    comment: r.comment,
    ip: r.ip,
  }),
};

/** Counts what an export wrote, for the CLI's summary. */
export interface ExportProgress {
  rows: number;
}

async function* render<R>(
  pages: Iterable<R[]>,
  columns: Columns<R>,
  { format, bom }: z.output<typeof exportOptionsSchema>,
  progress?: ExportProgress,
): AsyncGenerator<string> {
  if (format === 'csv') yield (bom ? '\uFEFF' : '') + csvRow(columns.names);
  for (const rows of pages) {
    if (progress) progress.rows += rows.length;
    let chunk = '';
    if (format === 'csv') chunk = csvRows(rows.map((row) => columns.csv(row)));
    else for (const row of rows) chunk += JSON.stringify(columns.json(row)) + '\n';
    yield chunk;
    // one page at a time: logins and other requests run between pages of a long export
    await yieldToEventLoop();
  }
}

/**
 * The login history selected by `filter` (the same rows, in the same order, as
 * {@link listLoginEvents} pages through) as CSV or JSON lines, one text chunk per 1,000 rows.
 * Memory stays flat however many rows there are. Throws zod's error on a bad filter at once.
 */
export function exportLoginEvents(
  db: Db,
  filter: LoginEventFilterInput = {},
  options: ExportOptionsInput = {},
  progress?: ExportProgress,
): AsyncGenerator<string> {
  const parsed = loginEventFilterSchema.parse(filter);
  return render(loginEventPages(db, parsed), loginColumns, exportOptionsSchema.parse(options), progress);
}

/** The change log selected by `filter` as CSV or JSON lines; see {@link exportLoginEvents}. */
export function exportChangeEvents(
  db: Db,
  filter: ChangeEventFilterInput = {},
  options: ExportOptionsInput = {},
  progress?: ExportProgress,
): AsyncGenerator<string> {
  const parsed = changeEventFilterSchema.parse(filter);
  return render(changeEventPages(db, parsed), changeColumns, exportOptionsSchema.parse(options), progress);
}

/** A Web stream of UTF-8 bytes, pulled chunk by chunk (backpressure), for a route handler's Response. */
export function toReadableStream(chunks: AsyncIterable<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = chunks[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(encoder.encode(value));
    },
    async cancel() {
      await iterator.return?.(undefined);
    },
  });
}

/** Content type and a download file name such as `ice-sso-logins-2026-11-22.csv`. */
export function exportFileInfo(stream: 'logins' | 'changes', format: ExportFormat, now = Date.now()): { contentType: string; fileName: string } {
  const date = new Date(now).toISOString().slice(0, 10);
  return {
    contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
    fileName: `ice-sso-${stream}-${date}.${format}`,
  };
}
