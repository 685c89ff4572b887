import { createKeyedQueue } from '../serializer/keyed-queue';
import { runCommand, unwrapOutcome, type CommandDeps, type CommandRegistry } from '../serializer/commands';
import type { Serializer } from '../serializer/serializer';

/**
 * The Node transport of the per-member serializer. Input and outcome are cloned the way an RPC would
 * copy them, so a command that leaks non-JSON state fails here as it would on Workers.
 */
export function createInProcessSerializer<Registry extends CommandRegistry>(registry: Registry, deps: CommandDeps): Serializer<Registry> {
  const queue = createKeyedQueue();
  return {
    async execute(key, command, input) {
      const outcome = await queue.run(key, () => runCommand(registry, deps, command, structuredClone(input)));
      return unwrapOutcome(structuredClone(outcome));
    },
  };
}
