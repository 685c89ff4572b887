import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'turso',
  schema: './schema/index.ts',
  out: './migrations',
  dbCredentials: {
    url: process.env.LIBSQL_URL ?? 'file:.data/loyalty.db',
    authToken: process.env.LIBSQL_AUTH_TOKEN,
  },
});
