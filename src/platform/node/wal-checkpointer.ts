import { Worker } from 'node:worker_threads';
import { BUSY_TIMEOUT_MS } from './busy-timeout';

/**
 * How many pages the WAL may hold before the app, between two calls, waits for the checkpointer to
 * copy every frame back (about 120 MB of 4 KB pages). The WAL is written over from its start only by
 * a write that begins once every frame is copied back. An import commits about 7,000 pages a call
 * and begins its next write a few milliseconds later, too soon for the thread to have copied them:
 * without these waits the WAL would grow until the backstop below. Each wait lasts about the copy of
 * one call's pages; at 12,000 pages they came twice as often, and the import (20,000 members, date
 * order) ran at 4,713–4,971 rows/s instead of 4,812–5,392 (4,080–4,563 without the checkpointer).
 */
export const CATCH_UP_WAL_PAGES = 30_000;
/** The longest the app's calls wait for the checkpointer before they go on regardless (the backstop then bounds the WAL). */
const CATCH_UP_WAIT_MS = 1000;
/**
 * How many pages the WAL may hold before the app's own connection checkpoints after all (about
 * 330 MB): a backstop for a checkpointer that cannot keep up even so (a thread starved of CPU or
 * stuck). Far enough above CATCH_UP_WAL_PAGES that the calls that follow a wait never reach it.
 */
export const BACKSTOP_WAL_PAGES = 80_000;
/** SQLite's own auto-checkpoint, which the app's connection returns to if the checkpointer fails. */
export const SQLITE_DEFAULT_WAL_PAGES = 1000;

/** When the app's calls wait for the checkpointer, and when its own connection checkpoints after all (defaults above; tests set them low). */
export interface WalLimits {
  catchUpPages?: number;
  backstopPages?: number;
}

export interface WalCheckpointer {
  /** Asks the thread to close its connection and end (a moment: the process waits for it, and for nothing else of it). */
  stop(): void;
  /** Settles when the thread has ended (after `stop`, or on a failure). */
  readonly ended: Promise<void>;
  /**
   * Nothing while the WAL holds fewer than `catchUpPages`; otherwise a promise of when a checkpoint
   * started after this moment has copied everything back (at most CATCH_UP_WAIT_MS): the app's calls
   * await it before they run, without holding the event loop, and the next write starts the WAL over.
   */
  caughtUp(): Promise<void> | undefined;
}

/**
 * Starts a worker thread with its own connection to the embedded database `url` that copies the
 * WAL back into the database file as soon as frames arrive (every 10 ms while the database is
 * written, backing off to every 250 ms while it is idle). The app's connection then never pays for a
 * checkpoint in one of its calls: a 1,000-order import call commits about 7,000 pages, and copying
 * them back took 47–61 ms on the event loop. `onFailure` hears of a thread that ended by itself.
 */
export function startWalCheckpointer(url: string, limits: WalLimits, onFailure: (error: Error) => void): WalCheckpointer {
  // Written by the thread (wal-checkpointer-thread.mjs): the numbers of its last checkpoint started
  // and completed, whether that one copied everything back, and of the one that asked for a wait.
  const shared = new Int32Array(new SharedArrayBuffer(16));
  const [STARTED, COMPLETED, CAUGHT_UP, WAIT] = [0, 1, 2, 3] as const;
  // Requests for a wait from this checkpoint or earlier ones are answered: they started before the
  // app's last wait ended, and the WAL may have started over since.
  let answered = 0;
  let waiting: Promise<void> | undefined;
  const worker = new Worker(new URL('./wal-checkpointer-thread.mjs', import.meta.url), {
    workerData: {
      url,
      busyTimeoutMs: BUSY_TIMEOUT_MS,
      soonestMs: 10,
      latestMs: 250,
      catchUpPages: limits.catchUpPages ?? CATCH_UP_WAL_PAGES,
      shared,
    },
    // Plain JavaScript: the thread needs none of the parent's loaders (tsx, vitest).
    execArgv: [],
  });
  worker.unref();
  let stopping = false;
  let failure: Error | undefined;
  worker.on('error', (error) => {
    failure = error;
  });
  const ended = new Promise<void>((resolve) => {
    worker.once('exit', (code) => {
      Atomics.store(shared, WAIT, 0);
      if (!stopping) onFailure(failure ?? new Error(`the WAL checkpointer's thread exited with code ${code}`));
      resolve();
    });
  });
  const behind = () => Atomics.load(shared, WAIT) > answered;
  // The app's connection is between calls: the first checkpoint started from now on copies every
  // frame back (unless a checkpoint of its own runs), and the app's next write starts the WAL over.
  const waitUntilCaughtUp = async () => {
    const after = Atomics.load(shared, STARTED);
    worker.postMessage('now');
    const deadline = performance.now() + CATCH_UP_WAIT_MS;
    while (performance.now() < deadline) {
      const completed = Atomics.load(shared, COMPLETED);
      if (completed > after && Atomics.load(shared, CAUGHT_UP) === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    answered = Atomics.load(shared, STARTED);
  };
  return {
    stop() {
      if (stopping) return;
      stopping = true;
      // The process waits the moment the thread takes to close its connection: ended while it does,
      // the native driver can abort the process.
      worker.ref();
      worker.postMessage('stop');
    },
    ended,
    caughtUp: () => {
      if (!behind()) return undefined;
      waiting ??= waitUntilCaughtUp().finally(() => {
        waiting = undefined;
      });
      return waiting;
    },
  };
}
