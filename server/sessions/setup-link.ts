import 'server-only';
import type { Db } from '@/db/client';
import { getEnv } from '@/config/env';
import { hasLocalAdmin, issueSetupToken, setupLink } from './local-admin';

/** Origin for links printed by the server and the CLI. */
export function publicOrigin(): string {
  const env = getEnv();
  return env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
}

/** At server start: while no local admin exists, print a fresh one-time setup link. */
export function announceSetupLinkIfNeeded(db: Db, write: (line: string) => void = (l) => process.stdout.write(l + '\n')): void {
  if (hasLocalAdmin(db)) return;
  const { token } = issueSetupToken(db, 'setup');
  const rule = '─'.repeat(72);
  write(rule);
  write('No local admin exists yet. Create the break-glass admin with this one-time link (valid 1 hour):');
  write(`  ${setupLink(publicOrigin(), token)}`);
  write('Lost it? Run `npx ice-sso admin reset` for a new one.');
  write(rule);
}
