import { DurableObject } from 'cloudflare:workers';
import { loadConfig } from '../../config';
import { systemClock } from '../clock';
import { type CommandDeps, type CommandOutcome, type CommandRegistry, runMemberCommand } from '../serializer/commands';
import { createHotStateCache, type HotStateCache } from '../serializer/hot-state';
import { createKeyedQueue } from '../serializer/keyed-queue';
import { createWorkerDatabase } from './database';
import type { WorkerEnv } from './env';

/**
 * The class of the `MemberLedger` Durable Object, for a registry of commands: one instance per member
 * (named `programId:memberId`), the Workers transport of the per-member serializer. Commands arrive
 * by RPC and run one at a time. The queue is needed even here, because a Durable Object accepts new
 * calls while an earlier one awaits its libSQL fetch. The worker entry passes the registry, so this
 * layer knows no module.
 *
 * @example
 * export class MemberLedger extends memberLedgerClass(commandRegistry) {}
 */
export function memberLedgerClass(registry: CommandRegistry) {
  return class MemberLedger extends DurableObject<WorkerEnv> {
    readonly #queue = createKeyedQueue();
    readonly #deps: CommandDeps;
    /** This member's hot state, kept by the instance between its commands (off with MEMBER_STATE_CACHE_SIZE=0). */
    readonly #hotState: HotStateCache | null;

    constructor(state: DurableObjectState, env: WorkerEnv) {
      super(state, env);
      const config = loadConfig(env, 'workers');
      this.#deps = { db: createWorkerDatabase(config, env), clock: systemClock, fingerprints: config.fingerprints };
      this.#hotState = config.memberStateCacheSize > 0 ? createHotStateCache(1) : null;
    }

    execute(command: string, input: unknown): Promise<CommandOutcome> {
      return this.#queue.run('member', () => runMemberCommand(registry, this.#deps, this.#hotState, 'member', command, input));
    }
  };
}

/** What the serializer calls on a member's Durable Object. */
export type MemberLedgerObject = InstanceType<ReturnType<typeof memberLedgerClass>>;
