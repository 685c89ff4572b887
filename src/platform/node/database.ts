import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from '@libsql/client';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { createDatabase, type Database } from '../db/database';
import { BUSY_TIMEOUT_MS } from './busy-timeout';
import { withEventLoopTurns } from './event-loop-turns';

export const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), '../../../migrations');

/**
 * Opens libSQL from Node: an embedded `file:` database (WAL, foreign keys on) or a remote sqld/Turso
 * URL, and applies the committed migrations. `wrapClient` lets tests put latency between the app
 * and the database, as a network would; such a wrapper turns the event loop before every call
 * itself, so it may leave out the time-based turns (`eventLoopTurns: false`) that would otherwise
 * make the interleaving of racing commands depend on the machine's load.
 */
export async function openNodeDatabase(options: {
  url: string;
  authToken?: string;
  wrapClient?: (client: Client) => Client;
  eventLoopTurns?: boolean;
}): Promise<{ db: Database; client: Client; afterErasure?: () => Promise<void> }> {
  if (options.url.startsWith('file:')) {
    mkdirSync(dirname(resolve(options.url.slice('file:'.length))), { recursive: true });
  }
  const embedded = options.url.startsWith('file:');
  // One connection for the embedded file: its statements run synchronously on this thread anyway,
  // and a second connection would lack the per-connection settings below (libSQL enforces foreign
  // keys by default; WAL is a property of the database file).
  const opened = createClient({
    url: options.url,
    authToken: options.authToken,
    timeout: BUSY_TIMEOUT_MS,
    ...(embedded ? { concurrency: 1 } : {}),
  });
  const withTurns = (inner: Client) => (embedded && options.eventLoopTurns !== false ? withEventLoopTurns(inner) : inner);
  const client = withTurns(opened);
  if (embedded) {
    await client.execute('PRAGMA journal_mode = WAL');
    // A 64 MB page cache instead of SQLite's 2 MB: an import's index entries land all over a large
    // file, and a segment refresh reads its indexes across every member. Bounded, so memory stays flat.
    await client.execute('PRAGMA cache_size = -65536');
    // The WAL's auto-checkpoint stays at SQLite's 1,000 pages. At 10,000 an import's commits cost less
    // (6.2 -> 4.4 s of CPU per 100,000 orders), but the commit that copies the WAL back then takes
    // 47-61 ms of CPU, past the 50 ms a single call of a request or a job may take.
    // Deleted and overwritten content is zeroed, not left in free space (an erased member's email).
    await client.execute('PRAGMA secure_delete = ON');
  }
  // The wrapper (a meter, simulated latency) sees the driver's calls alone and the turns go around
  // it: a call's measured time is then the database's, not the finalizers and timers a turn runs.
  const db = createDatabase(options.wrapClient ? withTurns(options.wrapClient(opened)) : client);
  await migrate(db, { migrationsFolder });
  // After an erasure, the WAL's frames (older page images holding the erased row) are copied back
  // and the file truncated to nothing.
  const afterErasure = embedded ? async () => void (await client.execute('PRAGMA wal_checkpoint(TRUNCATE)')) : undefined;
  return { db, client, afterErasure };
}
