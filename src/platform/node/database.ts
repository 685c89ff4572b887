import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from '@libsql/client';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { createDatabase, type Database } from '../db/database';

export const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), '../../../migrations');

/**
 * Opens libSQL from Node: an embedded `file:` database (WAL, foreign keys on) or a remote sqld/Turso
 * URL, and applies the committed migrations.
 */
export async function openNodeDatabase(options: { url: string; authToken?: string }): Promise<{ db: Database; client: Client }> {
  if (options.url.startsWith('file:')) {
    mkdirSync(dirname(resolve(options.url.slice('file:'.length))), { recursive: true });
  }
  const client = createClient({ url: options.url, authToken: options.authToken });
  if (options.url.startsWith('file:')) {
    await client.execute('PRAGMA journal_mode = WAL');
    await client.execute('PRAGMA busy_timeout = 5000');
  }
  await client.execute('PRAGMA foreign_keys = ON');
  const db = createDatabase(client);
  await migrate(db, { migrationsFolder });
  return { db, client };
}
