/**
 * The thread of the WAL checkpointer (wal-checkpointer.ts): a connection of its own to the embedded
 * database that copies the WAL's frames back into the database file (a PASSIVE checkpoint, which
 * never waits for and never blocks the app's connection). Plain JavaScript, so that it loads as it
 * is wherever the app runs: under tsx (`npm start`, `npm run import`, the benches) and under vitest.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createClient } from '@libsql/client';

/** @type {{ url: string; busyTimeoutMs: number; soonestMs: number; latestMs: number; catchUpPages: number; shared: Int32Array }} */
const { url, busyTimeoutMs, soonestMs, latestMs, catchUpPages, shared } = workerData;
// What the app's connection reads (wal-checkpointer.ts): the number of the last checkpoint started,
// of the last one completed, whether that one copied every frame back, and the number of the
// checkpoint that asked the app to wait (0: none).
const STARTED = 0;
const COMPLETED = 1;
const CAUGHT_UP = 2;
const WAIT = 3;
let checkpoints = 0;
const client = createClient({ url, timeout: busyTimeoutMs });
let stopped = false;
let delay = soonestMs;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let timer;
let seen = '';

/** Moves when another connection commits. */
const dataVersion = async () => (await client.execute('PRAGMA data_version')).rows[0][0];

let running = false;
/** The app waits for a checkpoint started after it stopped: the next one runs at once. */
let hurry = false;

/**
 * One checkpoint. The WAL is written over from its start only by a write that begins once every
 * frame is copied back, which an app writing without a pause never does: while the WAL holds
 * `catchUpPages` or more, this asks the app to wait before its next call for a checkpoint started
 * after it stopped (the app then says `now`). The next checkpoint comes soon if anything happened
 * since the last look (a commit moves `data_version`; frames copied or added move the WAL's
 * counts), later and later (up to `latestMs`) while nothing does: an idle database costs a few
 * statements a second.
 */
async function checkpoint() {
  timer = undefined;
  running = true;
  hurry = false;
  const number = ++checkpoints;
  Atomics.store(shared, STARTED, number);
  // busy, the WAL's frames, the frames copied back
  const [result] = (await client.execute('PRAGMA wal_checkpoint(PASSIVE)')).rows;
  const after = await dataVersion();
  running = false;
  if (stopped) return;
  const large = result[1] >= catchUpPages;
  Atomics.store(shared, CAUGHT_UP, result[0] === 0 && result[1] === result[2] ? 1 : 0);
  Atomics.store(shared, COMPLETED, number);
  Atomics.store(shared, WAIT, large ? number : 0);
  const now = `${after} ${result[0]} ${result[1]} ${result[2]}`;
  delay = now === seen ? Math.min(delay * 2, latestMs) : soonestMs;
  seen = now;
  timer = setTimeout(checkpoint, hurry ? 0 : delay);
}

parentPort.on('message', (message) => {
  if (message === 'now') {
    if (running || stopped) hurry = true;
    else {
      clearTimeout(timer);
      timer = setTimeout(checkpoint, 0);
    }
    return;
  }
  if (message !== 'stop') return;
  stopped = true;
  clearTimeout(timer);
  Atomics.store(shared, WAIT, 0);
  client.close();
  // Nothing left to run: the thread ends.
  parentPort.close();
});

timer = setTimeout(checkpoint, 0);
