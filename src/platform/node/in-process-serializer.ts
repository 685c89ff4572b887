import { createKeyedQueue } from '../serializer/keyed-queue';
import { createHotStateCache } from '../serializer/hot-state';
import { runMemberCommand, unwrapOutcome, type CommandDeps, type CommandRegistry } from '../serializer/commands';
import type { Serializer } from '../serializer/serializer';

/**
 * The Node transport of the per-member serializer. Input and outcome are cloned the way an RPC would
 * copy them, so a command that leaks non-JSON state fails here as it would on Workers. With
 * `hotStateSize`, the serializer keeps that many members' hot state in memory (an LRU), as each
 * member's Durable Object does on Workers.
 */
export function createInProcessSerializer<Registry extends CommandRegistry>(
  registry: Registry,
  deps: CommandDeps,
  options: { hotStateSize?: number } = {},
): Serializer<Registry> {
  const queue = createKeyedQueue();
  const cache = options.hotStateSize ? createHotStateCache(options.hotStateSize) : null;
  return {
    async execute(key, command, input) {
      const outcome = await queue.run(key, () => runMemberCommand(registry, deps, cache, key, command, structuredClone(input)));
      return unwrapOutcome(structuredClone(outcome));
    },
  };
}
