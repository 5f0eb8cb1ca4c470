import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { openDb } from '@/db/client';
import { AppError } from '@/shared/error-model';
import { log } from '@/server/lib/log';
import { tempDbFile } from '@/test/support/tmp';
import { publicProcedure, router } from './init';
import { contextFor } from './test-contexts';

const REQUEST_ID = '0b6c2f7e-3a51-4c2b-9d7e-5f1a2b3c4d5e';

// procedures that fail the ways a real one can, behind the real init.ts (mapper and errorFormatter)
const failing = router({
  boom: publicProcedure.query(() => {
    throw new Error('SQLITE_CORRUPT: secret detail of /var/lib/ice-sso/db');
  }),
  gone: publicProcedure.query(() => {
    throw new AppError('conflict', 'already_changed', 'Someone changed it first.', { retryAfterSeconds: 5 });
  }),
  strict: publicProcedure.input(z.strictObject({ id: z.string() })).query(() => 'ok'),
  service: publicProcedure.query(() => z.object({ n: z.number() }).parse({ n: 'x' })),
});

async function call(
  path: string,
  input?: unknown,
): Promise<{ status: number; headers: Headers; body: { error: { message: string; data: Record<string, unknown> } } }> {
  const db = openDb(tempDbFile());
  const url = `http://localhost/api/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`;
  const res = await fetchRequestHandler({
    endpoint: '/api/trpc',
    req: new Request(url),
    router: failing,
    createContext: ({ resHeaders }) => contextFor(db, 'anonymous', { resHeaders, requestId: REQUEST_ID }),
  });
  db.$client.close();
  return { status: res.status, headers: res.headers, body: (await res.json()) as never };
}

afterEach(() => vi.restoreAllMocks());

describe('tRPC errors', () => {
  it('answers an unexpected fault with 500, server_error and the request id, logs it with that id, and never sends its message', async () => {
    const logged = vi.spyOn(log, 'error').mockImplementation(() => undefined);
    const res = await call('boom');
    expect(res.status).toBe(500);
    expect(res.body.error.data).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', httpStatus: 500, reason: 'server_error', requestId: REQUEST_ID });
    expect(res.body.error.message).toBe(`Something went wrong on the server. Quote request ID ${REQUEST_ID} to your administrator.`);
    expect(JSON.stringify(res.body)).not.toMatch(/SQLITE|secret|var\/lib/);
    expect(logged).toHaveBeenCalledTimes(1);
    expect(logged.mock.calls[0]![1]).toMatchObject({ requestId: REQUEST_ID, error: expect.stringContaining('SQLITE_CORRUPT') });
  });

  it('answers an AppError with the status of its kind, its reason and message, and Retry-After', async () => {
    const res = await call('gone');
    expect(res.status).toBe(409);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.body.error.message).toBe('Someone changed it first.');
    expect(res.body.error.data).toMatchObject({ code: 'CONFLICT', reason: 'already_changed', issues: null });
  });

  it('answers a bad input with 400, reason invalid_input and the issues of the one formatter', async () => {
    const res = await call('strict', { id: 1, colour: 'red' });
    expect(res.status).toBe(400);
    expect(res.body.error.data).toMatchObject({ code: 'BAD_REQUEST', reason: 'invalid_input' });
    expect((res.body.error.data.issues as Array<{ field: string }>).map((i) => i.field).sort()).toEqual(['colour', 'id']);
  });

  it('answers zod failing inside a service as a bad input (400), not as a fault', async () => {
    const res = await call('service');
    expect(res.status).toBe(400);
    expect(res.body.error.data).toMatchObject({ reason: 'invalid_input', issues: [{ field: 'n', message: expect.any(String) }] });
  });
});
