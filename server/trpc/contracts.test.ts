import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { openDb, type Db } from '@/db/client';
import { encodeCursor, type CursorList } from '@/server/lib/paging';
import { settingsKeys } from '@/shared/settings/fields';
import { effectiveSettingsSchema, ssoMetaDocumentSchema, storedSettingsDocumentSchema } from '@/shared/settings/shapes';
import { resolveSettings } from '@/shared/settings/derive';
import { ssoMetaDocument } from '@/shared/settings/document';
import { settingsDocumentSchema, type SettingsDocument } from '@/shared/settings/schema';
import { seedLogin, seedUser } from '@/server/directory/test-seed';
import { updateSettings } from '@/server/settings/service';
import { tempDbFile } from '@/test/support/tmp';
import { publicProcedure, router } from './init';
import { appRouter } from './root';
import { contextFor } from './test-contexts';

interface ProcedureDef {
  type: string;
  inputs: unknown[];
  output?: unknown;
}
type AnyRouter = { _def: { procedures: Record<string, { _def: ProcedureDef }> } };

/** Every procedure of a router (dotted path) that lacks an input or an output schema, or returns a page under another name than `list`. */
function contractProblems(r: AnyRouter): string[] {
  const problems: string[] = [];
  for (const [path, { _def }] of Object.entries(r._def.procedures)) {
    if (_def.inputs.length === 0) problems.push(`${path}: no input schema`);
    if (!_def.output) problems.push(`${path}: no output schema`);
    const output = _def.output as z.ZodType | undefined;
    const pages = output instanceof z.ZodObject && 'nextCursor' in output.shape;
    if (pages && !path.endsWith('.list')) problems.push(`${path}: returns a page but is not named list`);
  }
  return problems;
}

describe('the console API contract', () => {
  it('has an input and an output schema on every procedure, and names every paged one list', () => {
    const paths = Object.keys(appRouter._def.procedures);
    expect(paths).toContain('settings.versions.list');
    expect(paths.length).toBeGreaterThanOrEqual(32);
    expect(contractProblems(appRouter as unknown as AnyRouter)).toEqual([]);
  });

  it('walk reports a procedure without input or output schema, and a page not named list', () => {
    const loose = router({
      bare: publicProcedure.query(() => 1),
      inputOnly: publicProcedure.input(z.void()).query(() => 1),
      pages: publicProcedure
        .input(z.void())
        .output(z.object({ items: z.array(z.number()), nextCursor: z.string().nullable() }))
        .query(() => ({ items: [], nextCursor: null })),
      nested: router({
        list: publicProcedure
          .input(z.void())
          .output(z.object({ items: z.array(z.number()), nextCursor: z.null() }))
          .query(() => ({ items: [], nextCursor: null })),
      }),
    });
    expect(contractProblems(loose as unknown as AnyRouter)).toEqual([
      'bare: no input schema',
      'bare: no output schema',
      'inputOnly: no output schema',
      'pages: returns a page but is not named list',
    ]);
  });
});

describe('settings output shapes', () => {
  it('type the same values as the settings rules and derivation (checked by tsc)', () => {
    expectTypeOf<z.infer<typeof storedSettingsDocumentSchema>>().toEqualTypeOf<SettingsDocument>();
    expectTypeOf<z.infer<typeof effectiveSettingsSchema>>().toEqualTypeOf<ReturnType<typeof resolveSettings>>();
  });

  it('read back the default document, its effective values and a published /sso-meta document exactly', () => {
    const doc = settingsDocumentSchema.parse({
      enabled: true,
      tenantId: '8eaef023-2b34-4da1-9baa-8bc8c9d6a490',
      clientId: '11111111-2222-4333-8444-555555555555',
      domainHint: 'contoso.com',
    });
    expect(Object.keys(storedSettingsDocumentSchema.shape).sort()).toEqual([...settingsKeys].sort());
    expect(storedSettingsDocumentSchema.strict().parse(doc)).toEqual(doc);
    const effective = resolveSettings(doc);
    expect(effectiveSettingsSchema.strict().parse(effective)).toEqual(effective);
    const meta = ssoMetaDocument(effective);
    expect(meta).not.toBeNull();
    expect(ssoMetaDocumentSchema.parse(meta)).toEqual(meta);
  });
});

describe('paging over HTTP', () => {
  let db: Db;
  beforeAll(() => {
    db = openDb(tempDbFile());
    // two rows in every list, so that a page of one has a next page
    updateSettings(db, { clockSkewSeconds: 120 }, { kind: 'cli', name: 'cli' });
    updateSettings(db, { clockSkewSeconds: 180 }, { kind: 'cli', name: 'cli' });
    for (const name of ['Ann', 'Bob']) {
      const user = seedUser(db, { displayName: name, groups: [crypto.randomUUID()] });
      seedLogin(db, { userId: user.id });
    }
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tRPC HTTP envelope, asserted field by field below
  async function call(path: string, input: unknown): Promise<{ status: number; body: any }> {
    const url = `http://console.test/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`;
    const res = await fetchRequestHandler({ endpoint: '/api/trpc', req: new Request(url), router: appRouter, createContext: () => contextFor(db, 'auditor') });
    return { status: res.status, body: await res.json() };
  }

  const paged: Array<[string, CursorList, Record<string, unknown>]> = [
    ['users.list', 'users', {}],
    ['groups.list', 'groups', {}],
    ['groups.get', 'users', { id: 'abcdef01-0000-4000-8000-000000000001' }],
    ['logins.list', 'logins', {}],
    ['changes.list', 'changes', {}],
    ['settings.versions.list', 'settingsVersions', {}],
  ];
  const foreign: Record<CursorList, string> = {
    users: encodeCursor('groups', { displayName: null, id: 'x' }),
    groups: encodeCursor('users', { displayName: null, id: 'x' }),
    logins: encodeCursor('changes', { ts: 1, id: 1 }),
    changes: encodeCursor('logins', { ts: 1, id: 1 }),
    settingsVersions: encodeCursor('logins', { ts: 1, id: 1 }),
  };

  it.each(paged)('%s answers 400 BAD_REQUEST on cursor, reason bad_cursor, for a cursor of another list', async (path, list, rest) => {
    const { status, body } = await call(path, { ...rest, cursor: foreign[list] });
    expect(status).toBe(400);
    expect(body.error.data.code).toBe('BAD_REQUEST');
    expect(body.error.data.issues).toHaveLength(1);
    expect(body.error.data.issues[0].field).toBe('cursor');
    expect(body.error.data.issues[0].message).toMatch(/^bad_cursor: /);
  });

  it.each(paged.filter(([path]) => path !== 'groups.get'))('%s accepts the nextCursor it hands out and refuses a limit over 200', async (path, _list, rest) => {
    const first = await call(path, { ...rest, limit: 1 });
    expect(first.status).toBe(200);
    const cursor: string = first.body.result.data.nextCursor;
    expect(cursor).toEqual(expect.any(String));
    const second = await call(path, { ...rest, limit: 1, cursor });
    expect(second.status).toBe(200);
    expect(second.body.result.data.items).toHaveLength(1);
    expect(second.body.result.data.items[0]).not.toEqual(first.body.result.data.items[0]);
    const tooBig = await call(path, { ...rest, limit: 201 });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.error.data.issues[0].field).toBe('limit');
  });
});
