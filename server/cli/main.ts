import 'server-only';
import { EnvError } from '@/config/env';
import { EXIT, processIo, UsageError, type Io } from './io';
import { adminCommand } from './admin';
import { auditCommand } from './audit';
import { dbCommand } from './db';
import { settingsCommand, settingsUsage } from './settings';

const usage = `ice-sso — Entra ID single sign-on for the ICE Server

Usage:
  ice-sso serve                       start the server (same as npm start, without the build step)
  ice-sso settings show [--json]      print the SSO settings
  ice-sso settings set key=value ...  change settings (a new version, author "cli")
  ice-sso settings history            list settings versions
  ice-sso settings revert <version>   restore an old version as a new one
  ice-sso db migrate                  apply pending database migrations
  ice-sso db backup <file>            write an online copy of the SQLite database (and say how to restore it)
  ice-sso db copy --to postgres://…   copy this SQLite deployment into an empty PostgreSQL database and verify it there
  ice-sso admin reset                 print a one-time link to create or reset the local admin
  ice-sso audit export|verify|purge   export the login history or change log, check its hash chain, apply retention (ice-sso audit --help)

Environment: DATABASE_URL (default file:./data/ice-sso.db), LOG_LEVEL, PORT.

${settingsUsage}`;

type Command = (args: string[], io: Io) => number | Promise<number>;

const commands: Record<string, Command> = {
  settings: settingsCommand,
  admin: adminCommand,
  audit: auditCommand,
  db: dbCommand,
  serve: async () => {
    const { serve } = await import('@/server/http/serve');
    await serve();
    return new Promise<number>(() => undefined);
  },
};

/** Registers another top-level command (admin, audit, dev-entra). */
export function registerCommand(name: string, command: Command): void {
  commands[name] = command;
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage);
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = commands[name];
  if (!command) {
    io.err(`Unknown command "${name}".\n\n${usage}`);
    return EXIT.usage;
  }
  try {
    return await command(args, io);
  } catch (err) {
    if (err instanceof UsageError || err instanceof EnvError) {
      io.err(err.message);
      return EXIT.usage;
    }
    io.err(`ice-sso: ${(err as Error).message}`);
    return EXIT.failure;
  }
}
