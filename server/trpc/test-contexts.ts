import 'server-only';
import type { Db } from '@/db/client';
import type { ConsoleActor, Context } from './context';
import { createCaller } from './root';

/**
 * Console callers for tests (not itself a test): contexts built directly, as createContext
 * would build them after authenticating, so routers are called through `createCaller`
 * without HTTP.
 */

export const TEST_CONSOLE_TENANT = '8eaef023-2b34-4da1-9baa-8bc8c9d6a490';

export type CallerKind = 'anonymous' | 'user' | 'auditor' | 'admin' | 'localAdmin';
export const CALLER_KINDS: readonly CallerKind[] = ['anonymous', 'user', 'auditor', 'admin', 'localAdmin'];

/** Signed-in actors: an Entra user without a console role, an auditor, an admin, the local break-glass admin. */
export const testActors: Record<Exclude<CallerKind, 'anonymous'>, ConsoleActor> = {
  user: { kind: 'entra', name: 'uma.user@contoso.com', id: `${TEST_CONSOLE_TENANT}:11111111-1111-4111-8111-111111111111`, displayName: 'Uma User', roles: [] },
  auditor: {
    kind: 'entra',
    name: 'aud.itor@contoso.com',
    id: `${TEST_CONSOLE_TENANT}:22222222-2222-4222-8222-222222222222`,
    displayName: 'Aud Itor',
    roles: ['auditor'],
  },
  admin: {
    kind: 'entra',
    name: 'ada.admin@contoso.com',
    id: `${TEST_CONSOLE_TENANT}:33333333-3333-4333-8333-333333333333`,
    displayName: 'Ada Admin',
    roles: ['admin'],
  },
  localAdmin: { kind: 'local', name: 'breakglass', id: '44444444-4444-4444-8444-444444444444', displayName: 'breakglass', roles: ['admin'] },
};

/** A context as createContext makes it for this caller; `overrides` change any field (e.g. `csrfOk: false`). */
export function contextFor(db: Db, who: CallerKind, overrides: Partial<Context> = {}): Context {
  return {
    db,
    actor: who === 'anonymous' ? null : { ...testActors[who], roles: [...testActors[who].roles] },
    authProblem: null,
    ip: '127.0.0.1',
    userAgent: 'vitest',
    csrfOk: true,
    secure: false,
    resHeaders: new Headers(),
    ...overrides,
  };
}

/** The whole console API as this caller. */
export function callerFor(db: Db, who: CallerKind, overrides: Partial<Context> = {}) {
  return createCaller(contextFor(db, who, overrides));
}

export type ConsoleCaller = ReturnType<typeof callerFor>;
