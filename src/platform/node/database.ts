import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from '@libsql/client';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { createDatabase, type Database } from '../db/database';
import { BUSY_TIMEOUT_MS } from './busy-timeout';
import { hookClient } from './client-hooks';
import { withEventLoopTurns } from './event-loop-turns';
import {
  BACKSTOP_WAL_PAGES,
  SQLITE_DEFAULT_WAL_PAGES,
  startWalCheckpointer,
  type WalCheckpointer,
  type WalLimits,
} from './wal-checkpointer';

export const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), '../../../migrations');

/**
 * Opens libSQL from Node: an embedded `file:` database (WAL, foreign keys on) or a remote sqld/Turso
 * URL, and applies the committed migrations. `wrapClient` lets tests put latency between the app
 * and the database, as a network would; such a wrapper turns the event loop before every call
 * itself, so it may leave out the time-based turns (`eventLoopTurns: false`) that would otherwise
 * make the interleaving of racing commands depend on the machine's load. `walCheckpointer` (embedded
 * file only) checkpoints the WAL on a worker thread instead of in the app's calls: for long-running
 * processes and heavy writers (the server, the import, the benches); closing the client stops it.
 */
export async function openNodeDatabase(options: {
  url: string;
  authToken?: string;
  wrapClient?: (client: Client) => Client;
  eventLoopTurns?: boolean;
  walCheckpointer?: boolean | WalLimits;
}): Promise<{ db: Database; client: Client; afterErasure?: () => Promise<void>; walCheckpointer?: WalCheckpointer }> {
  if (options.url.startsWith('file:')) {
    mkdirSync(dirname(resolve(options.url.slice('file:'.length))), { recursive: true });
  }
  const embedded = options.url.startsWith('file:');
  // One connection for the embedded file: its statements run synchronously on this thread anyway,
  // and a second connection would lack the per-connection settings below (libSQL enforces foreign
  // keys by default; WAL is a property of the database file). The WAL checkpointer's thread opens
  // its own, for checkpoints alone.
  const connection = createClient({
    url: options.url,
    authToken: options.authToken,
    timeout: BUSY_TIMEOUT_MS,
    ...(embedded ? { concurrency: 1 } : {}),
  });
  const withCheckpointer = embedded && Boolean(options.walCheckpointer);
  const limits = typeof options.walCheckpointer === 'object' ? options.walCheckpointer : {};
  let checkpointer: WalCheckpointer | undefined;
  // Around the driver (and a wrapper's meter): turns of the event loop, and the waits for the
  // checkpointer to catch up; closing the client stops the checkpointer.
  const around = (inner: Client) => {
    const turning = embedded && options.eventLoopTurns !== false ? withEventLoopTurns(inner) : inner;
    return withCheckpointer
      ? hookClient(turning, { beforeCall: () => checkpointer?.caughtUp(), onClose: () => checkpointer?.stop() })
      : turning;
  };
  const client = around(connection);
  if (embedded) {
    await client.execute('PRAGMA journal_mode = WAL');
    // A 64 MB page cache instead of SQLite's 2 MB: an import's index entries land all over a large
    // file, and a segment refresh reads its indexes across every member. Bounded, so memory stays flat.
    await client.execute('PRAGMA cache_size = -65536');
    // Without the checkpointer, the WAL's auto-checkpoint stays at SQLite's 1,000 pages. At 10,000 an
    // import's commits cost less (6.2 -> 4.4 s of CPU per 100,000 orders), but the commit that copies
    // the WAL back then takes 47-61 ms of CPU, past the 50 ms a single call of a request or a job may take.
    // Deleted and overwritten content is zeroed, not left in free space (an erased member's email).
    await client.execute('PRAGMA secure_delete = ON');
  }
  // The wrapper (a meter, simulated latency) sees the driver's calls alone and the turns go around
  // it: a call's measured time is then the database's, not the finalizers and timers a turn runs.
  const db = createDatabase(options.wrapClient ? around(options.wrapClient(connection)) : client);
  await migrate(db, { migrationsFolder });
  if (withCheckpointer) {
    // The checkpointer copies the WAL back; this connection only past the backstop (wal-checkpointer.ts).
    await client.execute(`PRAGMA wal_autocheckpoint = ${limits.backstopPages ?? BACKSTOP_WAL_PAGES}`);
    checkpointer = startWalCheckpointer(options.url, limits, (error) => {
      console.warn(`WAL checkpointer stopped (${error.message}): the app's connection checkpoints the WAL itself again`);
      client.execute(`PRAGMA wal_autocheckpoint = ${SQLITE_DEFAULT_WAL_PAGES}`).catch(() => undefined);
    });
  }
  // After an erasure, the WAL's frames (older page images holding the erased row) are copied back
  // and the file truncated to nothing.
  const afterErasure = embedded ? () => checkpointAndTruncate(client) : undefined;
  return { db, client, afterErasure, ...(checkpointer ? { walCheckpointer: checkpointer } : {}) };
}

/**
 * `PRAGMA wal_checkpoint(TRUNCATE)` until it is done. It answers busy (and does nothing) while
 * another connection, such as the checkpointer's, holds the checkpoint lock, or a reader holds part
 * of the WAL; it is retried within the busy timeout.
 */
async function checkpointAndTruncate(client: Client) {
  const deadline = performance.now() + BUSY_TIMEOUT_MS;
  while ((await client.execute('PRAGMA wal_checkpoint(TRUNCATE)')).rows[0]![0] !== 0) {
    if (performance.now() > deadline) throw new Error('the WAL could not be checkpointed: the database stayed busy');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
