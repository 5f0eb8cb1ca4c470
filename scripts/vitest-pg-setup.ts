import path from 'node:path';
import pg from 'pg';
import { startPostgres, type TestPostgres } from '../test/postgres';

/**
 * The PostgreSQL run of the integration suites (vitest.pg.config.mts): one throwaway cluster for
 * the whole run (or the server named by ICE_SSO_TEST_POSTGRES_URL), and a template database with
 * every migration applied, from which each test's fresh database is copied
 * (test/support/tmp.ts, `tempDbFile()`).
 */
let server: TestPostgres | undefined;

export async function setup(): Promise<void> {
  server = await startPostgres();
  const template = server.url;
  // the migrations, applied the way a server applies them (db/pg-bridge-worker.cjs) but from here
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');
  const client = new pg.Client({ connectionString: template });
  await client.connect();
  try {
    await migrate(drizzle({ client }), { migrationsFolder: path.resolve(__dirname, '..', 'db', 'migrations-pg') });
  } finally {
    await client.end();
  }
  process.env.ICE_SSO_TEST_DATABASE = 'postgres';
  process.env.ICE_SSO_TEST_POSTGRES_TEMPLATE = template;
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
