import 'server-only';
import { getDb } from '@/db/client';
import { hasLocalAdmin, issueSetupToken, setupLink } from '@/server/sessions/local-admin';
import { publicOrigin } from '@/server/sessions/setup-link';
import { EXIT, type Io } from './io';

/** `ice-sso admin reset`: a new one-time setup link for an operator locked out of the console. */
export function adminCommand(args: string[], io: Io): number {
  if (args[0] !== 'reset') {
    io.err('Usage: ice-sso admin reset    print a new one-time setup link (creates the local admin, or sets a new password)');
    return EXIT.usage;
  }
  const db = getDb();
  const { token } = issueSetupToken(db, 'reset');
  io.out(
    hasLocalAdmin(db)
      ? 'Open this one-time link within 1 hour to set a new password for the local admin:'
      : 'Open this one-time link within 1 hour to create the local admin:',
  );
  io.out(`  ${setupLink(publicOrigin(), token)}`);
  io.out('Earlier unused links no longer work. Set PUBLIC_URL if the console is reached at another address.');
  return EXIT.ok;
}
