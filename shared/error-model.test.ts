import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditEventNotFoundError } from '@/server/audit/errors';
import { UsageError } from '@/server/cli/io';
import { DbCopyError } from '@/server/cli/db-copy';
import { ConsoleAuthError } from '@/server/console-auth/errors';
import { PageCursorError } from '@/server/lib/paging';
import { DatabaseUnavailableError } from '@/server/lib/database-fault';
import { GroupNotFoundError, UserNotFoundError } from '@/server/directory/errors';
import { LoginRefusedError } from '@/server/entra/errors';
import { MetadataFetchError } from '@/server/entra/fetch-json';
import { KeysUnavailableError } from '@/server/entra/metadata';
import { reasonCodes, reasons } from '@/shared/login-reasons';
import { EnvError } from '@/config/env';
import { PasswordHashBusyError, PasswordHashFailedError } from '@/server/sessions/hash-pool';
import { LocalAuthError, type LocalAuthReason } from '@/server/sessions/local-auth-error';
import { GraphCredentialUnreadableError, SettingsValidationError, SettingsVersionNotFoundError } from '@/server/settings/errors';
import { GraphRequestError } from '@/server/graph/errors';
import { toTRPCError } from '@/server/trpc/errors';
import { AppError, errorKindNames, errorKinds, fieldIssuesOf, InvalidInputError, kindOfStatus, type ErrorKind } from './error-model';
import { OfflineError, ServerUnreachableError } from '@/lib/trpc-errors';
import { z } from 'zod';

// written out by hand, so that a change to the table has to change this test too
const expected: Record<ErrorKind, { status: number; trpc: string }> = {
  bad_request: { status: 400, trpc: 'BAD_REQUEST' },
  unauthorized: { status: 401, trpc: 'UNAUTHORIZED' },
  forbidden: { status: 403, trpc: 'FORBIDDEN' },
  not_found: { status: 404, trpc: 'NOT_FOUND' },
  conflict: { status: 409, trpc: 'CONFLICT' },
  gone: { status: 410, trpc: 'NOT_FOUND' },
  too_large: { status: 413, trpc: 'PAYLOAD_TOO_LARGE' },
  rate_limited: { status: 429, trpc: 'TOO_MANY_REQUESTS' },
  internal: { status: 500, trpc: 'INTERNAL_SERVER_ERROR' },
  unavailable: { status: 503, trpc: 'SERVICE_UNAVAILABLE' },
};

const localReasons: LocalAuthReason[] = [
  'setup_link_invalid',
  'setup_link_expired',
  'setup_link_used',
  'weak_password',
  'bad_credentials',
  'locked_out',
  'bad_username',
  'sign_in_busy',
  'sign_in_unavailable',
];

/** One or more instances of every error class of the product, by class name. */
const instances: Record<string, AppError[]> = {
  PageCursorError: [new PageCursorError()],
  DatabaseUnavailableError: [new DatabaseUnavailableError(new Error('SQLITE_BUSY: database is locked'))],
  AuditEventNotFoundError: [new AuditEventNotFoundError('Login event', 7)],
  SettingsValidationError: [new SettingsValidationError([{ field: 'tenantId', message: 'must be a GUID' }])],
  SettingsVersionNotFoundError: [new SettingsVersionNotFoundError(3)],
  GraphCredentialUnreadableError: [new GraphCredentialUnreadableError('the key file is missing')],
  GraphRequestError: [
    new GraphRequestError('graph_not_configured', 'no credential'),
    new GraphRequestError('graph_unavailable', 'HTTP 503', 5),
    new GraphRequestError('graph_permission_denied', 'Authorization_RequestDenied'),
  ],
  UserNotFoundError: [new UserNotFoundError('u1')],
  GroupNotFoundError: [new GroupNotFoundError('g1')],
  LoginRefusedError: reasonCodes.map((r) => new LoginRefusedError(r)),
  LocalAuthError: localReasons.map((r) => new LocalAuthError(r, 'Refused.')),
  PasswordHashBusyError: [new PasswordHashBusyError(2)],
  PasswordHashFailedError: [new PasswordHashFailedError('worker stopped')],
  UsageError: [new UsageError('--limit needs a value')],
  DbCopyError: [new DbCopyError('target_not_empty', 'The target is not empty.'), new DbCopyError('verification_failed', 'Counts differ.')],
  EnvError: [new EnvError('Invalid environment')],
  KeysUnavailableError: [new KeysUnavailableError('offline')],
  MetadataFetchError: [new MetadataFetchError('https://login.example/x', 'HTTP 500')],
  ConsoleAuthError: [
    new ConsoleAuthError('sign_in_required', 'Sign in.'),
    new ConsoleAuthError('role_required', 'You need the admin role.'),
    new ConsoleAuthError('token_expired', 'Expired.'),
  ],
  InvalidInputError: [new InvalidInputError([{ field: 'id', message: 'Required' }])],
  ServerUnreachableError: [new ServerUnreachableError(502)],
  OfflineError: [new OfflineError()],
  ServerFault: [toTRPCError(new Error('boom')).cause as AppError],
};

/** Every `class X extends Y` named like an error in the product's sources (dev-entra, a development tool, is not product). */
function errorClassesInSources(): string[] {
  const root = path.resolve(import.meta.dirname, '..');
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
        for (const m of fs.readFileSync(full, 'utf8').matchAll(/\bclass (\w+) extends (\w+)/g))
          if (/Error$|Fault$/.test(m[1]!) || /Error$/.test(m[2]!)) found.push(m[1]!);
      }
    }
  };
  for (const dir of ['server', 'lib', 'shared', 'config', 'db', 'components', 'app']) walk(path.join(root, dir));
  return found.sort();
}

describe('the error model', () => {
  it('maps each kind to its HTTP status and tRPC code', () => {
    expect(errorKindNames.sort()).toEqual(Object.keys(expected).sort());
    for (const kind of errorKindNames) {
      expect({ status: errorKinds[kind].status, trpc: errorKinds[kind].trpc }, kind).toEqual(expected[kind]);
      expect(kindOfStatus(errorKinds[kind].status), kind).toBe(kind);
      const mapped = toTRPCError(new AppError(kind, 'some_reason', 'A message.'));
      expect(mapped.code, kind).toBe(expected[kind].trpc);
    }
  });

  it('covers every error class in the sources: each is an AppError with a reason and a kind of the table', () => {
    expect(errorClassesInSources().filter((n) => n !== 'AppError')).toEqual(Object.keys(instances).sort());
    for (const [name, errors] of Object.entries(instances)) {
      for (const err of errors) {
        expect(err, name).toBeInstanceOf(AppError);
        expect(err.constructor.name, name).toBe(name);
        expect(err.reason, name).toMatch(/^[a-z][a-z_]+$/);
        expect(errorKindNames, name).toContain(err.kind);
        expect(err.status, name).toBe(errorKinds[err.kind].status);
        expect(err.message.length, name).toBeGreaterThan(3);
      }
    }
  });

  it('gives a login refusal the status and OAuth error of its reason code (docs/api.md), as its kind', () => {
    for (const r of reasonCodes) {
      const err = new LoginRefusedError(r);
      expect({ status: err.status, error: err.error, kind: errorKinds[err.kind].status }, r).toEqual({
        status: reasons[r].status,
        error: reasons[r].error,
        kind: reasons[r].status,
      });
    }
  });

  it('gives the break-glass refusals the statuses the console API has always answered', () => {
    const codes = Object.fromEntries(localReasons.map((r) => [r, toTRPCError(new LocalAuthError(r, 'x')).code]));
    expect(codes).toEqual({
      setup_link_invalid: 'BAD_REQUEST',
      setup_link_expired: 'BAD_REQUEST',
      setup_link_used: 'BAD_REQUEST',
      weak_password: 'BAD_REQUEST',
      bad_username: 'BAD_REQUEST',
      bad_credentials: 'UNAUTHORIZED',
      locked_out: 'TOO_MANY_REQUESTS',
      sign_in_busy: 'TOO_MANY_REQUESTS',
      sign_in_unavailable: 'SERVICE_UNAVAILABLE',
    });
  });

  it('formats zod issues as dotted paths, unknown keys, or (input)', () => {
    const schema = z.strictObject({ a: z.object({ b: z.number() }), c: z.string().optional() });
    expect(fieldIssuesOf(schema.safeParse({ a: { b: 'x' } }).error!)).toEqual([{ field: 'a.b', message: expect.any(String) }]);
    expect(fieldIssuesOf(schema.safeParse({ a: { b: 1 }, colour: 'red', size: 2 }).error!)).toEqual([{ field: 'colour,size', message: expect.any(String) }]);
    expect(fieldIssuesOf(z.string().safeParse(42).error!)).toEqual([{ field: '(input)', message: expect.any(String) }]);
  });
});
