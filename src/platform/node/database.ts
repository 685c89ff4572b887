import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from '@libsql/client';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { createDatabase, type Database } from '../db/database';

export const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), '../../../migrations');

/**
 * Opens libSQL from Node: an embedded `file:` database (WAL, foreign keys on) or a remote sqld/Turso
 * URL, and applies the committed migrations. `wrapClient` lets tests put latency between the app
 * and the database, as a network would.
 */
export async function openNodeDatabase(options: {
  url: string;
  authToken?: string;
  wrapClient?: (client: Client) => Client;
}): Promise<{ db: Database; client: Client }> {
  if (options.url.startsWith('file:')) {
    mkdirSync(dirname(resolve(options.url.slice('file:'.length))), { recursive: true });
  }
  // The client pools connections: per-connection settings go in its config (libSQL enforces foreign
  // keys by default); WAL is a property of the database file, so setting it once is enough.
  const client = createClient({ url: options.url, authToken: options.authToken, timeout: 5000 });
  if (options.url.startsWith('file:')) await client.execute('PRAGMA journal_mode = WAL');
  const db = createDatabase(options.wrapClient?.(client) ?? client);
  await migrate(db, { migrationsFolder });
  return { db, client };
}
