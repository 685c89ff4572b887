import type { Clock } from '../clock';
import type { Database } from '../db/database';
import type { FingerprintKeys } from '../fingerprints';
import { DomainError, reviveDomainError, type SerializedDomainError } from '../errors';
import type { HotStateCache, HotStateSlot } from './hot-state';

/** What a command may use: the executing side's own database and clock (DESIGN.md §3). */
export interface CommandDeps {
  db: Database;
  clock: Clock;
  /** Keys of the email fingerprints kept after erasure (FINGERPRINT_SECRET …). */
  fingerprints: FingerprintKeys;
  /**
   * The member's hot state kept by its serializer between its commands; absent outside a serializer
   * (jobs, tests without one) or with the cache off, and then every command reads the database.
   */
  hotState?: HotStateSlot;
}

/** A named, serializable use case that changes one member: plain JSON in, plain JSON out. */
export type Command<Input, Result> = (deps: CommandDeps, input: Input) => Promise<Result>;

/** Commands by name; each has its own input and result types, which `Serializer<Registry>` keeps. */
// biome-ignore lint/suspicious/noExplicitAny: a registry holds commands of every input and result type
export type CommandRegistry = Record<string, Command<any, any>>;

/** The input a command takes. */
export type CommandInput<C> = C extends Command<infer Input, infer _Result> ? Input : never;

/** What a command resolves to. */
export type CommandResult<C> = C extends Command<infer _Input, infer Result> ? Result : never;

export type CommandOutcome = { ok: true; value: unknown } | { ok: false; error: SerializedDomainError };

/**
 * Runs a command by name and turns expected (domain) failures into data, so that the outcome looks
 * the same whether it ran in this process or crossed a Durable Object RPC boundary.
 */
export async function runCommand(registry: CommandRegistry, deps: CommandDeps, name: string, input: unknown): Promise<CommandOutcome> {
  const command = registry[name];
  if (!command) throw new Error(`Unknown command "${name}"`);
  try {
    return { ok: true, value: await command(deps, input) };
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, error: error.toJSON() };
    throw error;
  }
}

/** `runCommand` for the member `key`, with that member's slot of the serializer's hot-state cache (when there is one). */
export function runMemberCommand(
  registry: CommandRegistry,
  deps: CommandDeps,
  cache: HotStateCache | null,
  key: string,
  name: string,
  input: unknown,
): Promise<CommandOutcome> {
  if (!cache) return runCommand(registry, deps, name, input);
  return cache.run(key, (hotState) => runCommand(registry, { ...deps, hotState }, name, input));
}

/** The caller's side of an outcome: the value, or the revived domain error thrown. */
export function unwrapOutcome<Result>(outcome: CommandOutcome): Result {
  if (outcome.ok) return outcome.value as Result;
  throw reviveDomainError(outcome.error);
}
