import 'server-only';
import { getDb } from '@/db/client';
import { getEnv } from '@/server/env';
import { hasLocalAdmin, issueSetupToken, setupLink } from '@/server/sessions/local-admin';
import { EXIT, type Io } from './io';

/** Origin for links printed by the server and the CLI. */
export function publicOrigin(): string {
  const env = getEnv();
  return env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
}

/** `ice-sso admin reset`: a new one-time setup link for an operator locked out of the console. */
export function adminCommand(args: string[], io: Io): number {
  if (args[0] !== 'reset') {
    io.err('Usage: ice-sso admin reset    print a new one-time setup link (creates the local admin, or sets a new password)');
    return EXIT.usage;
  }
  const db = getDb();
  const { token } = issueSetupToken(db, 'reset');
  io.out(hasLocalAdmin(db) ? 'Open this one-time link within 1 hour to set a new password for the local admin:' : 'Open this one-time link within 1 hour to create the local admin:');
  io.out(`  ${setupLink(publicOrigin(), token)}`);
  io.out('Earlier unused links no longer work. Set PUBLIC_URL if the console is reached at another address.');
  return EXIT.ok;
}

/** At server start: while no local admin exists, print a fresh one-time setup link. */
export function announceSetupLinkIfNeeded(write: (line: string) => void = (l) => process.stdout.write(l + '\n')): void {
  const db = getDb();
  if (hasLocalAdmin(db)) return;
  const { token } = issueSetupToken(db, 'setup');
  const rule = '─'.repeat(72);
  write(rule);
  write('No local admin exists yet. Create the break-glass admin with this one-time link (valid 1 hour):');
  write(`  ${setupLink(publicOrigin(), token)}`);
  write('Lost it? Run `npx ice-sso admin reset` for a new one.');
  write(rule);
}
