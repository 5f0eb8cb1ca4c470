import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { describe, expect, it } from 'vitest';
import { openDb } from '@/db/client';
import { changeEvents } from '@/db/schema';
import { SettingsValidationError } from '@/server/settings/errors';
import { getSettingsVersion } from '@/server/settings/service';
import { tempDbFile } from '@/test/support/tmp';
import { appRouter } from '../root';
import { callerFor, contextFor, testActors } from '../test-contexts';

describe('settings through the console API', () => {
  it('saves a version with the calling admin as its author', async () => {
    const db = openDb(tempDbFile());
    const saved = await callerFor(db, 'admin').settings.update({ patch: { clockSkewSeconds: 120 }, comment: 'tighter skew' });
    expect(saved).toMatchObject({ version: 1, author: testActors.admin.name, authorKind: 'entra', comment: 'tighter skew' });
    expect(getSettingsVersion(db, 1).document.clockSkewSeconds).toBe(120);
    expect(db.select().from(changeEvents).all().at(-1)).toMatchObject({
      action: 'settings.update',
      actor: testActors.admin.name,
      actorKind: 'entra',
      ip: '127.0.0.1',
    });
    const reverted = await callerFor(db, 'localAdmin').settings.revert({ version: 1 });
    expect(reverted).toMatchObject({ version: 2, author: 'breakglass', authorKind: 'local', revertedFrom: 1 });
  });

  it('refuses a bad patch with BAD_REQUEST, writing nothing', async () => {
    const db = openDb(tempDbFile());
    const err = await callerFor(db, 'admin')
      .settings.update({ patch: { tenantId: 'contoso.onmicrosoft.com', clockSkewSeconds: -5 } })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BAD_REQUEST' });
    const cause = (err as { cause: unknown }).cause;
    expect(cause).toBeInstanceOf(SettingsValidationError);
    expect((cause as SettingsValidationError).issues.map((i) => i.field).sort()).toEqual(['clockSkewSeconds', 'tenantId']);
    expect(db.select().from(changeEvents).all()).toHaveLength(0);
  });

  it('sends the field issues of a bad patch in the error data over HTTP', async () => {
    const db = openDb(tempDbFile());
    const res = await fetchRequestHandler({
      endpoint: '/api/trpc',
      req: new Request('http://localhost/api/trpc/settings.update', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ patch: { tenantId: 'contoso.onmicrosoft.com' } }),
      }),
      router: appRouter,
      createContext: () => contextFor(db, 'admin'),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      error: { message: string; data: { code: string; httpStatus: number; issues: Array<{ field: string; message: string }> } };
    };
    expect(body.error.data).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400 });
    expect(body.error.data.issues).toEqual([
      { field: 'tenantId', message: expect.stringMatching(/GUID/), text: 'Tenant ID must be a GUID like 8eaef023-2b34-4da1-9baa-8bc8c9d6a490.' },
    ]);
    expect(JSON.stringify(body)).not.toMatch(/stack|at .*\.ts/);
  });

  it('sends the fields of a bad input in the error data over HTTP', async () => {
    const db = openDb(tempDbFile());
    const res = await fetchRequestHandler({
      endpoint: '/api/trpc',
      req: new Request(`http://localhost/api/trpc/groups.update`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'not-a-guid', displayName: 'x'.repeat(300) }),
      }),
      router: appRouter,
      createContext: () => contextFor(db, 'admin'),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { data: { issues: Array<{ field: string }> } } };
    expect(body.error.data.issues.map((i) => i.field).sort()).toEqual(['displayName', 'id']);
  });
});
