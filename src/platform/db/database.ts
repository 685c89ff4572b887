import type { Client } from '@libsql/client';
import type { BatchItem } from 'drizzle-orm/batch';
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

/** One write of a batch: any drizzle query, or raw `db.run(sql…)`. Modules contribute these to a command's batch. */
export type Statement = BatchItem<'sqlite'>;

/**
 * Writes statements as one atomic batch (one round trip, one implicit transaction: DESIGN.md §3) and
 * gives each statement's result (rows for a read in it); nothing to write makes no call. drizzle's `batch` wants a non-empty tuple, which a list built from
 * several modules' contributions cannot promise to the type checker.
 */
export async function writeBatch(db: Database, statements: readonly Statement[]): Promise<unknown[]> {
  const [first, ...rest] = statements;
  return first ? db.batch([first, ...rest]) : [];
}
