import { DurableObject } from 'cloudflare:workers';
import { commandRegistry } from '../../commands';
import { loadConfig } from '../../config';
import { systemClock } from '../clock';
import { runCommand, type CommandDeps, type CommandOutcome } from '../serializer/commands';
import { createKeyedQueue } from '../serializer/keyed-queue';
import type { WorkerEnv } from './env';
import { createWorkerDatabase } from './database';

/**
 * One instance per member (named `programId:memberId`): the Workers transport of the per-member
 * serializer. Commands arrive by RPC and run one at a time. The queue is needed even here, because
 * a Durable Object accepts new calls while an earlier one awaits its libSQL fetch.
 */
export class MemberLedger extends DurableObject<WorkerEnv> {
  readonly #queue = createKeyedQueue();
  readonly #deps: CommandDeps;

  constructor(state: DurableObjectState, env: WorkerEnv) {
    super(state, env);
    const config = loadConfig(env, 'workers');
    this.#deps = { db: createWorkerDatabase(config, env), clock: systemClock, fingerprints: config.fingerprints };
  }

  execute(command: string, input: unknown): Promise<CommandOutcome> {
    return this.#queue.run('member', () => runCommand(commandRegistry, this.#deps, command, input));
  }
}
