import { defineConfig } from 'drizzle-kit';

// PostgreSQL: db/schema-pg is generated from db/schema (scripts/gen-pg-schema.ts); `npm run db:generate`
// regenerates it and runs drizzle-kit for both configs. Credentials only matter to drizzle-kit's own
// migrate/push/studio; the app applies db/migrations-pg itself (db/pg-client.ts).
const url = process.env.DATABASE_URL;

export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema-pg/index.ts',
  out: './db/migrations-pg',
  strict: true,
  verbose: true,
  ...(url && /^postgres(ql)?:\/\//.test(url) ? { dbCredentials: { url } } : {}),
});
