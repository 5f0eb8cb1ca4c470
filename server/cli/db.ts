import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { applyMigrations, databaseName, getDb, isPostgres } from '@/db/client';
import { auditKeyPath } from '@/server/audit/key';
import { dbCopyCommand } from './db-copy';
import { EXIT, parseArgs, type Io } from './io';

export const dbUsage = `Usage:
  ice-sso db migrate           apply pending database migrations
  ice-sso db backup <file>     write an online, consistent copy of the SQLite database to <file>
                               (the server may keep running; an existing file is never overwritten)
  ice-sso db copy --to postgres://…  [--from file:…]
                               copy this SQLite deployment into an empty PostgreSQL database and verify it there`;

export async function dbCommand(args: string[], io: Io): Promise<number> {
  const [verb, ...rest] = args;
  if (verb === 'migrate' && rest.length === 0) {
    // opening applies what is pending (on PostgreSQL under an advisory lock: instances starting together take turns)
    const db = getDb();
    if (!isPostgres(db)) applyMigrations(db);
    io.out(`Database migrated: ${databaseName(db)}`);
    return EXIT.ok;
  }
  if (verb === 'backup') return backupCommand(rest, io);
  if (verb === 'copy') return dbCopyCommand(rest, io);
  if (verb === 'help' || verb === '--help' || verb === '-h') {
    io.out(dbUsage);
    return EXIT.ok;
  }
  io.err(dbUsage);
  return EXIT.usage;
}

async function backupCommand(args: string[], io: Io): Promise<number> {
  const { positional, flags } = parseArgs(args);
  if (positional.length !== 1 || Object.keys(flags).length > 0) {
    io.err(dbUsage);
    return EXIT.usage;
  }
  const target = path.resolve(positional[0]!);
  if (fs.existsSync(target)) {
    io.err(`${target} exists already: a backup never overwrites a file. Name a new file.`);
    return EXIT.usage;
  }
  const db = getDb();
  if (isPostgres(db)) {
    io.err(
      [
        'ice-sso db backup copies a SQLite database. On PostgreSQL, use its own tools (docs/operations.md, "Backups"):',
        '  pg_dump --format=custom --file=ice-sso.dump "$DATABASE_URL"',
        'and keep the audit key (audit.key or AUDIT_KEY_FILE) and graph.key with the dump.',
      ].join('\n'),
    );
    return EXIT.usage;
  }
  const source = db.$client.name;
  if (target === path.resolve(source)) {
    io.err('The backup must be a file other than the database itself.');
    return EXIT.usage;
  }
  // written beside the target, then linked into place: an existing file is never replaced, and a
  // half-written copy never carries the target's name
  const partial = `${target}.partial-${process.pid}`;
  try {
    // SQLite's online backup: a consistent copy while other processes keep writing; the rest of
    // the pages in one step after the first, so concurrent commits cannot keep restarting it
    const progress = await db.$client.backup(partial, { progress: ({ remainingPages }) => Math.max(remainingPages, 100) });
    fs.linkSync(partial, target);
    io.out(`Backup written: ${target} (${progress.totalPages} pages, from ${source})`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      io.err(`${target} appeared while the backup ran: it was left as it is. Name a new file.`);
      return EXIT.usage;
    }
    throw err;
  } finally {
    fs.rmSync(partial, { force: true });
  }
  const key = auditKeyPath(db);
  io.out('');
  io.out(`Keep the audit key file with it: ${key}`);
  io.out('  The audit chains (ice-sso audit verify) can only be checked with the key that wrote them;');
  io.out('  it is not in the database. Copy it beside the backup now (it changes only if deleted).');
  io.out('');
  io.out('To restore:');
  io.out('  1. stop every ice-sso process that uses the database;');
  io.out(`  2. copy the backup into place as ${source} and delete ${path.basename(source)}-wal and -shm beside it, if present;`);
  io.out(`  3. put the audit key file saved with it back at ${key} (or where AUDIT_KEY_FILE points);`);
  io.out('  4. start ice-sso, and run `ice-sso audit verify` to check both chains.');
  return EXIT.ok;
}
