import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEntraEmulator, type EntraEmulator } from '@/dev-entra';
import { openDb } from '@/db/client';
import { updateSettings } from '@/server/settings/service';
import { appRouter } from '@/server/trpc/root';
import { startServer, type RunningServer } from '@/test/support/processes';
import { tempDbFile, databaseUrlOf } from '@/test/support/tmp';
import { rawRequest, type RawRequest, type RawResponse } from './raw-http';

/**
 * Property-based fuzzing of every public door of a real `npm start` server: arbitrary
 * methods, raw targets with broken percent-encoding, hostile headers (cookies, bearer
 * tokens, forwarded-for lists), bodies that are not JSON or JSON of the wrong shape, forged
 * and mutated JWTs. Whatever arrives, the answer is never a 5xx, always carries the base
 * security headers, and has the error shape the door promises (docs/contract.md's login errors,
 * tRPC's error JSON). The seed is fixed (FUZZ_SEED overrides it) and printed on failure.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const RUNS = Number(process.env.FUZZ_RUNS_SCALE ?? 1);
/** A property stops early (passing) if it runs longer than this, so the suite stays bounded in time. */
const TIME_LIMIT_MS = 9_000;

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

let server: RunningServer;
let entra: EntraEmulator;
let validTokens: string[] = [];
let adminToken = '';

beforeAll(async () => {
  entra = await startEntraEmulator();
  const file = tempDbFile();
  const db = openDb(file);
  updateSettings(
    db,
    {
      cloud: 'custom',
      authorityHost: entra.authorityHost,
      tenantId: entra.tenantId,
      clientId: entra.clientId,
      enabled: true,
      loginRateLimitPerMinute: 0,
      adminGroupIds: [],
    },
    { kind: 'cli', name: 'fuzz' },
  );
  db.$client.close();
  validTokens = await Promise.all(Array.from({ length: 12 }, () => entra.mintAccessToken({ user: 'password' })));
  adminToken = await entra.mintAccessToken({ user: 'password', roles: ['IceSso.Admin'] });
  server = await startServer({ databaseUrl: databaseUrlOf(file), env: { LOG_LEVEL: 'error' } });
});
afterAll(async () => {
  await server?.stop();
  await entra?.stop();
});

// ---- arbitraries -------------------------------------------------------------------------

const pieces = fc.oneof(
  fc.constantFrom('%', '%E0%A4%A', '%zz', '%00', '%C0%AF', '%FF', '%2e%2e', '..', '%u0041', '+', '=', '&', ';', '%25', '[]', '{', '"', "'", '<script>', '\\'),
  fc.string({ unit: 'grapheme-ascii', maxLength: 12 }).map((s) => s.replace(/[\s#]/g, '')),
  fc.string({ maxLength: 6 }).map(encodeURIComponent),
);
const junkSegment = fc.array(pieces, { maxLength: 4 }).map((a) => a.join(''));
const query = fc.option(
  fc.array(fc.tuple(junkSegment, junkSegment), { maxLength: 4 }).map((kv) => '?' + kv.map(([k, v]) => `${k}=${v}`).join('&')),
  { nil: '' },
);
/** Header values: any latin1 byte but CR and LF (those would end the header, not fuzz it). */
const headerValue = fc
  .oneof(
    fc.string({ maxLength: 40 }).map((s) => Buffer.from(s, 'utf8').toString('latin1')),
    fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 30 }),
    junkSegment,
  )
  .map((s) => s.replace(/[\r\n]/g, ''));
const methods = fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'PROPFIND', 'M-SEARCH', 'PURGE', 'TRACE', 'CONNECT', 'get');
const bodyMethods = fc.constantFrom('POST', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH');

const claimValue = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
  fc.object({ maxDepth: 1 }),
);
const forgedJwt = fc
  .tuple(
    fc.record(
      {
        alg: fc.oneof(fc.constantFrom('RS256', 'none', 'HS256', 'PS256', 'RS512', 'ES256'), claimValue),
        kid: fc.oneof(fc.constant('current'), claimValue),
        typ: claimValue,
        crit: claimValue,
        jku: claimValue,
        x5c: claimValue,
      },
      { requiredKeys: [] },
    ),
    fc.record(
      {
        iss: claimValue,
        aud: claimValue,
        tid: claimValue,
        oid: claimValue,
        exp: claimValue,
        nbf: claimValue,
        scp: claimValue,
        azp: claimValue,
        uti: claimValue,
        groups: claimValue,
        hasgroups: claimValue,
        _claim_names: claimValue,
        roles: claimValue,
      },
      { requiredKeys: [] },
    ),
    fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.uint8Array({ maxLength: 64 }).map((u) => Buffer.from(u).toString('base64url')),
    ),
  )
  .map(([h, p, s]) => `${b64(h)}.${b64(p)}.${b64(s)}`);
const validOrMutated = fc.tuple(fc.nat(), fc.nat(), fc.boolean()).map(([i, at, mutate]) => {
  const t = validTokens[i % validTokens.length]!;
  if (!mutate) return t;
  const k = at % t.length;
  return t.slice(0, k) + (t[k] === 'A' ? 'B' : 'A') + t.slice(k + 1);
});
const tokenish = fc.oneof(forgedJwt, validOrMutated, headerValue, fc.constant(''), fc.constant('a.b.c'), fc.constant('...'));
const authorization = fc.oneof(
  tokenish.map((t) => `Bearer ${t}`),
  fc.constant('Bearer'),
  fc.constant('Bearer  '),
  headerValue.map((v) => `Basic ${v}`),
  headerValue,
  fc.constant('__admin__'),
);
const cookie = fc.oneof(
  fc.constantFrom(
    'ice_sso_console=%E0%A4%A',
    'ice_sso_console=',
    '__Host-ice_sso_console=%',
    'ice_sso_console="unterminated',
    '=;=;',
    ';;;',
    'a=b; ice_sso_console=x; ice_sso_console=y',
  ),
  headerValue.map((v) => `ice_sso_console=${v}`),
  headerValue,
);
const contentType = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/jsonx',
    '',
  ),
  headerValue,
);
const extraHeaders = fc.record(
  {
    authorization,
    cookie,
    'content-type': contentType,
    'x-forwarded-for': fc.oneof(headerValue, fc.constantFrom('203.0.113.7, 198.51.100.66', '::ffff:10.0.0.1', '2001:db8::1, garbage', ', , ,')),
    'x-forwarded-proto': fc.oneof(fc.constantFrom('https', 'http', 'https, http'), headerValue),
    'x-forwarded-host': headerValue,
    'x-ice-sso-client-ip': fc.oneof(fc.constant('1.2.3.4 forged'), headerValue),
    'if-none-match': fc.oneof(fc.constant('*'), headerValue),
    origin: fc.oneof(fc.constantFrom('http://127.0.0.1', 'https://evil.example', 'null'), headerValue),
    'x-ice-sso-csrf': fc.constant('1'),
    accept: fc.oneof(fc.constantFrom('text/html', 'application/json', 'text/x-component', '*/*'), headerValue),
    'accept-encoding': fc.oneof(fc.constantFrom('gzip', 'br', 'identity;q=0', '*'), headerValue),
    range: fc.oneof(fc.constantFrom('bytes=0-', 'bytes=5-1', 'bytes=-0'), headerValue),
    rsc: fc.constant('1'),
    'next-router-state-tree': headerValue,
    'next-action': headerValue,
    'x-huge': fc.constant('x'.repeat(20_000)),
  },
  { requiredKeys: [] },
);
const jsonish = fc.oneof(
  fc.json({ maxDepth: 3 }),
  tokenish.map((t) => JSON.stringify({ token: t })),
  fc.constant('{"token":'),
  fc.constant('{"0":{"json":null}}'),
  fc.constant('[]'),
  fc.constant('null'),
);
const body = fc.option(
  fc.oneof(
    jsonish.map((s) => Buffer.from(s)),
    fc.uint8Array({ maxLength: 300 }).map((u) => Buffer.from(u)),
    headerValue.map((s) => Buffer.from(s, 'latin1')),
  ),
  { nil: undefined },
);

function request(method: fc.Arbitrary<string>, target: fc.Arbitrary<string>): fc.Arbitrary<RawRequest> {
  return fc.record({ method, target, headers: extraHeaders, body }).map(({ method, target, headers, body }) => ({
    method,
    target,
    headers: Object.entries(headers).map(([k, v]) => [k, k === 'authorization' && v === '__admin__' ? `Bearer ${adminToken}` : v] as [string, string]),
    body,
  }));
}

// ---- what each door promises ---------------------------------------------------------------

const shown = (req: RawRequest, res: RawResponse) =>
  `${req.method} ${req.target}\n${req.headers.map(([k, v]) => `${k}: ${v.slice(0, 200)}`).join('\n')}\n(body ${req.body?.length ?? 0} bytes)\n→ ${res.status} ${res.body.subarray(0, 400).toString()}\n(seed ${SEED})`;

function jsonOf(res: RawResponse): unknown {
  try {
    return JSON.parse(res.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

const isLoginError = (b: unknown) => {
  const o = b as Record<string, unknown> | undefined;
  return typeof o?.error === 'string' && typeof o.reason === 'string' && typeof o.message === 'string';
};
const isTrpcError = (b: unknown) => {
  const e = (b as { error?: { message?: unknown; code?: unknown; data?: { code?: unknown; httpStatus?: unknown } } } | undefined)?.error;
  return typeof e?.message === 'string' && typeof e.code === 'number' && typeof e.data?.code === 'string' && typeof e.data.httpStatus === 'number';
};
const isTrpcAnswer = (b: unknown) => isTrpcError(b) || (b !== null && typeof b === 'object' && 'result' in b);

function expectBase(req: RawRequest, res: RawResponse): void {
  expect(res.status, shown(req, res)).toBeLessThan(500);
  expect(res.headers['x-content-type-options'], shown(req, res)).toBe('nosniff');
  expect(res.headers['referrer-policy'], shown(req, res)).toBeTruthy();
  expect(res.headers['x-request-id'], shown(req, res)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
}

/** Answers the server gives before any door runs: the parser's 400/431 and CONNECT, all JSON with a reason. */
function parserAnswer(res: RawResponse): boolean {
  return (
    (res.status === 400 || res.status === 431 || res.status === 405) &&
    isLoginError(jsonOf(res)) &&
    res.headers['content-type']?.startsWith('application/json') === true
  );
}

type Check = (req: RawRequest, res: RawResponse) => void;

const checkLogin: Check = (req, res) => {
  expectBase(req, res);
  if (res.status >= 400 && req.method !== 'HEAD') expect(isLoginError(jsonOf(res)) || parserAnswer(res), shown(req, res)).toBe(true);
};
const checkSession = checkLogin;
const checkSsoMeta: Check = (req, res) => {
  expectBase(req, res);
  if (res.status >= 400 && req.method !== 'HEAD') {
    const b = jsonOf(res) as Record<string, unknown> | undefined;
    expect(typeof b?.error === 'string' || parserAnswer(res), shown(req, res)).toBe(true);
  }
};
const checkTrpc: Check = (req, res) => {
  expectBase(req, res);
  if (res.status >= 400 && req.method !== 'HEAD') {
    const b = jsonOf(res);
    const ok = Array.isArray(b) ? b.length > 0 && b.every(isTrpcAnswer) : isTrpcError(b) || isLoginError(b) || parserAnswer(res);
    expect(ok, shown(req, res)).toBe(true);
  }
};
const checkExport: Check = (req, res) => {
  expectBase(req, res);
  if (res.status >= 400 && req.method !== 'HEAD') {
    const b = jsonOf(res) as Record<string, unknown> | undefined;
    expect(typeof b?.error === 'string' || parserAnswer(res), shown(req, res)).toBe(true);
  }
};
const checkPage: Check = (req, res) => {
  expectBase(req, res);
};

async function fuzz(arb: fc.Arbitrary<RawRequest>, check: Check, numRuns: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(arb, async (req) => {
      check(req, await rawRequest(server.port, req));
    }),
    { seed: SEED, numRuns: Math.round(numRuns * RUNS), interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false, endOnFailure: true },
  );
}

const names = Object.keys(appRouter._def.procedures);

describe(`every public door under fuzzing (seed ${SEED}), each answer with the base headers and a request ID`, () => {
  it('POST /api/login (and every other method) answers 4xx with the login error JSON, never 5xx', async () => {
    await fuzz(
      request(
        fc.oneof(bodyMethods, methods),
        query.map((q) => `/api/login${q}`),
      ),
      checkLogin,
      900,
    );
  }, 60_000);

  it('/api/session answers 4xx with its error JSON, never 5xx', async () => {
    await fuzz(
      request(
        methods,
        query.map((q) => `/api/session${q}`),
      ),
      checkSession,
      400,
    );
  }, 60_000);

  it('/sso-meta answers 200, 304 or 4xx JSON, never 5xx', async () => {
    await fuzz(
      request(
        methods,
        query.map((q) => `/sso-meta${q}`),
      ),
      checkSsoMeta,
      400,
    );
  }, 60_000);

  it("/api/trpc/* answers tRPC's error JSON (or 413's), never 5xx", async () => {
    const procedure = fc.oneof(
      fc.constantFrom(...names),
      fc.constantFrom(...names).map((n) => `${n},${n}`),
      junkSegment,
    );
    const input = fc.oneof(fc.json({ maxDepth: 3 }).map(encodeURIComponent), junkSegment, fc.constant('%7B%22'));
    const target = fc
      .tuple(procedure, fc.boolean(), fc.option(input, { nil: undefined }), query)
      .map(([p, batch, i, q]) => `/api/trpc/${p}?${batch ? 'batch=1&' : ''}${i !== undefined ? `input=${i}&` : ''}${q.slice(1)}`);
    const arb = request(fc.oneof(fc.constantFrom('GET', 'POST', 'POST'), methods), target).map((r) =>
      // a CSRF header on mutations, so they reach their procedures rather than stopping at the check
      r.method === 'POST' && !r.headers.some(([k]) => k === 'x-ice-sso-csrf')
        ? { ...r, headers: [...r.headers, ['x-ice-sso-csrf', '1'] as [string, string]] }
        : r,
    );
    await fuzz(arb, checkTrpc, 700);
  }, 60_000);

  it('/api/audit/export answers 4xx with {"error": ...}, never 5xx', async () => {
    const params = fc
      .tuple(fc.constantFrom('logins', 'changes', 'x', ''), fc.constantFrom('csv', 'jsonl', 'xml', ''), query)
      .map(([s, f, q]) => `?stream=${s}&format=${f}&${q.slice(1)}`);
    const arb = request(
      fc.constantFrom('GET', 'GET', 'HEAD', 'POST'),
      fc.oneof(params, query).map((q) => `/api/audit/export${q}`),
    );
    await fuzz(arb, checkExport, 300);
  }, 60_000);

  it('console pages and unknown paths never answer 5xx', async () => {
    const page = fc.oneof(
      fc.constantFrom('/', '/users', '/groups', '/logins', '/changes', '/settings', '/doctor', '/setup', '/sso'),
      junkSegment.map((s) => `/users/${s}`),
      junkSegment.map((s) => `/${s}`),
      junkSegment.map((s) => `/_next/static/${s}`),
      junkSegment.map((s) => `/api/${s}`),
    );
    const arb = request(
      fc.oneof(fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'POST'), methods),
      fc.tuple(page, query).map(([p, q]) => p + q),
    );
    await fuzz(arb, checkPage, 250);
  }, 60_000);
});
