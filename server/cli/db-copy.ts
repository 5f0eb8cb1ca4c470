import 'server-only';
import fs from 'node:fs';
import { drizzle } from 'drizzle-orm/node-postgres';
import { z } from 'zod';
import { databasePath, openDb } from '@/db/client';
import { copyRows, inReadSnapshot, moveSequences, postgresRowCounts, sqliteRowCounts, tablesInCopyOrder, tablesWithRows, type CopyTable } from '@/db/copy';
import { applyPostgresMigrations, openPostgres } from '@/db/pg-client';
import * as pgSchema from '@/db/schema-pg';
import { getEnv } from '@/config/env';
import { AppError, fieldIssuesOf } from '@/shared/error-model';
import { auditStreams, listCheckpoints } from '@/server/audit/checkpoints';
import { chainHeads, headNames, type ChainHead } from '@/server/audit/heads';
import { auditKey, auditKeyPath } from '@/server/audit/key';
import { verifyPostgresChains, type PostgresChainVerification } from '@/server/audit/verify-postgres';
import { EXIT, parseArgs, UsageError, type Io } from './io';

export const dbCopyUsage = `Usage: ice-sso db copy --to postgres://USER:PASSWORD@HOST:PORT/DATABASE [--from file:PATH]
  Copies the SQLite deployment (DATABASE_URL, or --from) into an empty PostgreSQL database in one
  transaction: applies the PostgreSQL migrations, copies every table with its IDs, moves the ID
  sequences on, then checks the row counts and the audit chains on PostgreSQL and commits only if
  all agree. Exit 0 copied and verified; 1 failed (nothing committed); 2 refused (bad arguments,
  a missing source, a target that is not empty: nothing written).`;

type DbCopyReason = 'source_not_found' | 'target_not_empty' | 'audit_key_missing' | 'copy_failed' | 'verification_failed';

/** Why `ice-sso db copy` stopped; nothing was committed to the target. */
export class DbCopyError extends AppError {
  readonly code = 'ERR_DB_COPY';
  constructor(reason: DbCopyReason, message: string, options: { cause?: unknown } = {}) {
    super(
      reason === 'target_not_empty' ? 'conflict' : reason === 'source_not_found' || reason === 'audit_key_missing' ? 'bad_request' : 'internal',
      reason,
      message,
      options,
    );
  }
}

const argsSchema = z.object({
  to: z
    .string({ error: 'needs a postgres:// or postgresql:// URL' })
    .refine((v) => URL.canParse(v) && /^postgres(ql)?:$/i.test(new URL(v).protocol), 'must be a postgres:// or postgresql:// URL'),
  from: z.string().min(1).optional(),
});

/** The URL as it may be shown: its password (in the user part or a `password=` parameter) masked. */
export function maskedUrl(value: string): string {
  const url = new URL(value);
  if (url.password) url.password = '***';
  if (url.searchParams.has('password')) url.searchParams.set('password', '***');
  return url.toString().replace('%2A%2A%2A', '***');
}

export interface DbCopyOptions {
  /** Rows of one INSERT at most (tests make it small, so that a copy takes several batches). */
  batchRows?: number;
}

/** `ice-sso db copy --to postgres://… [--from file:…]`. */
export async function dbCopyCommand(args: string[], io: Io, options: DbCopyOptions = {}): Promise<number> {
  const { positional, flags } = parseArgs(args, ['to', 'from']);
  if (positional.length || Object.keys(flags).some((f) => f !== 'to' && f !== 'from')) throw new UsageError(dbCopyUsage);
  const parsed = argsSchema.safeParse(flags);
  if (!parsed.success)
    throw new UsageError(
      `${fieldIssuesOf(parsed.error)
        .map((i) => `--${i.field} ${i.message}`)
        .join('\n')}\n\n${dbCopyUsage}`,
    );
  try {
    return await copy(parsed.data.from ?? getEnv().DATABASE_URL, parsed.data.to, io, options);
  } catch (err) {
    if (!(err instanceof DbCopyError)) throw err;
    io.err(`ice-sso db copy: ${err.message}`);
    return err.reason === 'copy_failed' || err.reason === 'verification_failed' ? EXIT.failure : EXIT.usage;
  }
}

interface SourceSnapshot {
  counts: Map<string, number>;
  heads: ChainHead[];
  copied: Map<string, number>;
  sequences: Awaited<ReturnType<typeof moveSequences>>;
}

async function copy(from: string, to: string, io: Io, options: DbCopyOptions): Promise<number> {
  if (/^postgres(ql)?:/i.test(from)) throw new UsageError(`--from must name a SQLite file (file:PATH), not a PostgreSQL URL\n\n${dbCopyUsage}`);
  const file = databasePath(from);
  if (!fs.existsSync(file)) throw new DbCopyError('source_not_found', `the SQLite database ${file} does not exist (set DATABASE_URL or --from file:PATH).`);
  const source = openDb(file);
  const target = openPostgres(to, { poolSize: 2, statementTimeoutMs: 60_000 });
  const shown = maskedUrl(to);
  try {
    const keyFile = auditKeyPath(source);
    const key = fs.existsSync(keyFile) ? auditKey(source) : null;
    await applyPostgresMigrations(target);
    const tables = tablesInCopyOrder();
    const client = await target.$client.connect();
    let open = false;
    try {
      await client.query('BEGIN');
      open = true;
      // nobody writes these tables until the copy commits or rolls back (reads still pass)
      await client.query(`LOCK TABLE ${tables.map((t) => `"${t.name}"`).join(', ')} IN EXCLUSIVE MODE`);
      const filled = await tablesWithRows(client, tables);
      if (filled.length)
        throw new DbCopyError(
          'target_not_empty',
          `the PostgreSQL database ${shown} is not empty: ${filled.join(', ')} already hold rows. Copy into a new, empty database (nothing was written).`,
        );
      let snapshot: SourceSnapshot;
      try {
        snapshot = await inReadSnapshot(source, async () => {
          const counts = sqliteRowCounts(source, tables);
          const heads = chainHeads(source);
          const hasEvents = heads.some((h) => h.seq > 0) || auditStreams.some((s) => listCheckpoints(source, s).length > 0);
          if (hasEvents && !key)
            throw new DbCopyError(
              'audit_key_missing',
              `the audit key file ${keyFile} does not exist, so the audit chains cannot be verified: point AUDIT_KEY_FILE at the deployment's key (nothing was written).`,
            );
          const copied = await copyRows(source, client, tables, { batchRows: options.batchRows });
          const sequences = await moveSequences(source, client, tables);
          return { counts, heads, copied, sequences };
        });
      } catch (err) {
        if (err instanceof DbCopyError) throw err;
        throw new DbCopyError('copy_failed', `the copy failed and was rolled back, nothing was written to ${shown}: ${(err as Error).message}`, { cause: err });
      }
      const targetCounts = await postgresRowCounts(client, tables);
      const chains = key ? await verifyPostgresChains(drizzle({ client, schema: pgSchema }), key) : [];
      const problems = findProblems(tables, snapshot, targetCounts, chains);
      printSummary(io, { file, shown, tables, snapshot, targetCounts, chains, keyFile: key ? keyFile : null });
      if (problems.length) {
        for (const p of problems) io.err(`  MISMATCH ${p}`);
        throw new DbCopyError('verification_failed', `the copy does not verify on PostgreSQL; it was rolled back, nothing was written to ${shown}.`);
      }
      await client.query('COMMIT');
      open = false;
      io.out(`Committed: ${shown} now holds the deployment. Point DATABASE_URL of every instance at it once ice-sso runs on PostgreSQL.`);
      return EXIT.ok;
    } finally {
      if (open) await client.query('ROLLBACK').catch(() => {});
      client.release();
    }
  } finally {
    await target.$client.end().catch(() => {});
    source.$client.close();
  }
}

function findProblems(tables: readonly CopyTable[], s: SourceSnapshot, targetCounts: Map<string, number>, chains: PostgresChainVerification[]): string[] {
  const problems: string[] = [];
  for (const t of tables) {
    const want = s.counts.get(t.name);
    if (targetCounts.get(t.name) !== want || s.copied.get(t.name) !== want)
      problems.push(`${t.name}: ${want} rows in SQLite, ${s.copied.get(t.name)} copied, ${targetCounts.get(t.name)} on PostgreSQL`);
  }
  for (const c of chains) {
    const name = headNames[c.stream];
    if (c.firstBroken) problems.push(`${name} chain broken on PostgreSQL at event ${c.firstBroken.id} (${c.firstBroken.reason}): ${c.firstBroken.message}`);
    const want = s.heads.find((h) => h.stream === c.stream)!;
    if (!c.firstBroken && (c.head.seq !== want.seq || c.head.hash !== want.hash))
      problems.push(`${name} chain head on PostgreSQL is ${c.head.seq}:${c.head.hash}, in SQLite ${want.seq}:${want.hash}`);
  }
  return problems;
}

function printSummary(
  io: Io,
  r: {
    file: string;
    shown: string;
    tables: readonly CopyTable[];
    snapshot: SourceSnapshot;
    targetCounts: Map<string, number>;
    chains: PostgresChainVerification[];
    keyFile: string | null;
  },
): void {
  const width = Math.max(...r.tables.map((t) => t.name.length));
  io.out(`Copied ${r.file} to ${r.shown} (PostgreSQL migrations applied, one transaction).`);
  io.out(`  ${'table'.padEnd(width)}  ${'SQLite'.padStart(9)}  ${'PostgreSQL'.padStart(10)}`);
  for (const t of r.tables)
    io.out(`  ${t.name.padEnd(width)}  ${String(r.snapshot.counts.get(t.name)).padStart(9)}  ${String(r.targetCounts.get(t.name)).padStart(10)}`);
  const total = [...r.snapshot.counts.values()].reduce((a, b) => a + b, 0);
  io.out(`  ${r.tables.length} tables, ${total} rows.`);
  io.out(`ID sequences moved past the copied IDs: ${r.snapshot.sequences.map((s) => `${s.table} ${s.lastId}`).join(', ')}.`);
  if (!r.keyFile) io.out('Audit chains: no events and no audit key yet; nothing to verify.');
  for (const c of r.chains) {
    const name = headNames[c.stream];
    io.out(
      c.firstBroken
        ? `Audit chain ${name}: BROKEN on PostgreSQL at event ${c.firstBroken.id} (${c.firstBroken.reason}).`
        : `Audit chain ${name}: ${c.verified} events verified on PostgreSQL${c.checkpoint ? ` from the checkpoint of events through ${c.checkpoint.purgedThroughId}` : ''}, head ${name}=${c.head.seq}:${c.head.hash}.`,
    );
  }
  if (r.keyFile)
    io.out(
      `The audit key travels with the data: it is not in the database. Give every instance on PostgreSQL a copy of ${r.keyFile} (mode 0600) through AUDIT_KEY_FILE; without it the chains can neither be verified nor extended.`,
    );
}
