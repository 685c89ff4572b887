import type { Client } from '@libsql/client';

const STATEMENT_CALLS = new Set<PropertyKey>(['execute', 'batch', 'executeMultiple']);

/**
 * The client, whose statement calls (`execute`, `batch`, `executeMultiple`) first await what
 * `beforeCall` returns (nothing: they go on at once), and whose `close` first runs `onClose`. The
 * embedded client's methods are bound to it: they read its private fields.
 */
export function hookClient(client: Client, hooks: { beforeCall?: () => Promise<unknown> | undefined; onClose?: () => void }): Client {
  return new Proxy(client, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const method = (value as (...args: unknown[]) => unknown).bind(target);
      if (property === 'close' && hooks.onClose) {
        const { onClose } = hooks;
        return () => {
          onClose();
          return method();
        };
      }
      const { beforeCall } = hooks;
      if (!beforeCall || !STATEMENT_CALLS.has(property)) return method;
      return async (...args: unknown[]) => {
        const waiting = beforeCall();
        if (waiting) await waiting;
        return method(...args);
      };
    },
  });
}
