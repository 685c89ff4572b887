import { LRUCache } from 'lru-cache';

/**
 * One member's hot state as the serializer remembers it between that member's commands (DESIGN.md
 * §3). Only the member's own serializer touches it, so nothing else in this process races it; what
 * other processes and jobs write is caught by the database guards the state carries (its versions).
 */
export interface HotStateSlot {
  /** The state a command of this member left, if any. */
  get(): unknown;
  /** Keeps what the command read from the database, or what its own committed batch read back. */
  set(state: unknown): void;
  /** Forgets the state: the next read goes to the database. */
  delete(): void;
  /** Whether this command was served from memory since the slot was last set or deleted. */
  readonly served: boolean;
}

/** The hot state of many members; each command runs with its member's slot (`run`). */
export interface HotStateCache {
  /**
   * Runs a command with the member's slot. A command that did not set the slot again (one that does
   * not use the cache but may have changed the member, or that failed after writing) leaves it
   * deleted, so the next command reads the database.
   */
  run<T>(key: string, command: (slot: HotStateSlot) => Promise<T>): Promise<T>;
}

/**
 * A bounded LRU of members' hot state (lru-cache): on Node one per process with `max` members; on
 * Workers a member's Durable Object keeps its own member only (`max` 1).
 */
export function createHotStateCache(max: number): HotStateCache {
  const states = new LRUCache<string, object>({ max });
  return {
    async run(key, command) {
      let refreshed = false;
      let served = false;
      const slot: HotStateSlot = {
        get() {
          const state = states.get(key);
          if (state !== undefined) served = true;
          return state;
        },
        set(state) {
          states.set(key, state as object);
          refreshed = true;
          served = false;
        },
        delete() {
          states.delete(key);
          refreshed = false;
          served = false;
        },
        get served() {
          return served;
        },
      };
      try {
        return await command(slot);
      } finally {
        if (!refreshed) states.delete(key);
      }
    },
  };
}
