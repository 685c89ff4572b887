import type { Client } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import * as tables from '../../../schema';

export type Database = LibSQLDatabase<typeof tables>;

/**
 * Wraps a libSQL client (embedded file, sqld or Turso) in drizzle. The client decides the transport,
 * so the same Database serves Node and Workers.
 */
export function createDatabase(client: Client): Database {
  return drizzle(client, { schema: tables });
}
