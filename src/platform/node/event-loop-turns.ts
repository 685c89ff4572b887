import type { Client } from '@libsql/client';
import { hookClient } from './client-hooks';

/** How long a chain of calls on the embedded database may keep the event loop from turning. */
const MAX_BUSY_MS = 5;

/**
 * Wraps the embedded client so that a long chain of calls lets the event loop turn at least every
 * few milliseconds. The embedded database answers synchronously, so an import or a segment refresh
 * awaiting call after call is one unbroken run of microtasks. The native driver frees what each
 * statement allocated (the prepared statement, its rows) only in a finalizer that Node runs on a
 * later turn of the event loop: without turns, resident memory grows by kilobytes per statement
 * (hundreds of kilobytes for a multi-row insert) until the chain ends (libsql-js#153). Timers and
 * requests also get their turn.
 */
export function withEventLoopTurns(client: Client): Client {
  let lastTurn = performance.now();
  // Notices when the event loop turns on its own (between requests), so an idle server never waits.
  let watching = false;
  const watch = () => {
    if (watching) return;
    watching = true;
    setImmediate(() => {
      watching = false;
      lastTurn = performance.now();
    });
  };
  const turn = async () => {
    if (performance.now() - lastTurn >= MAX_BUSY_MS) await new Promise((resolve) => setImmediate(resolve));
    watch();
  };
  return hookClient(client, { beforeCall: turn });
}
