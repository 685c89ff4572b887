import { v7 as uuidv7 } from 'uuid';

/** Time-ordered ids: keyset pagination by id is then also chronological. */
export function newId(): string {
  return uuidv7();
}
