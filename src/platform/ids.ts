import { v7 as uuidv7 } from 'uuid';

/** Time-ordered ids: keyset pagination by id is then also chronological. */
export function newId(): string {
  return uuidv7();
}

/** A time-ordered id placed at `at` (for rows that enter history at a past instant, e.g. imported orders). */
export function newIdAt(at: Date): string {
  return uuidv7({ msecs: at.getTime() });
}
