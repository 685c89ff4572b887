/**
 * Runs tasks one after another per key, concurrently across keys. Hand-written because it is ten
 * lines and no maintained library offers exactly this (p-queue has no keys); the idle key is dropped
 * so the map does not grow with every member ever seen.
 */
export interface KeyedQueue {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** Keys with work queued or running; for tests and metrics. */
  readonly activeKeys: number;
}

export function createKeyedQueue(): KeyedQueue {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(task);
      const tail = result.catch(() => undefined);
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
    get activeKeys() {
      return tails.size;
    },
  };
}
