import type { CommandInput, CommandRegistry, CommandResult } from './commands';

/** Identifies the member whose changes must not interleave: `programId:memberId`. */
export type MemberKey = `${string}:${string}`;

export function memberKey(programId: string, memberId: string): MemberKey {
  return `${programId}:${memberId}`;
}

/**
 * Runs a named command for one member, one at a time per member. On Node an in-process keyed queue,
 * on Workers the member's `MemberLedger` Durable Object; both run the same command registry.
 */
export interface Serializer<Registry extends CommandRegistry = CommandRegistry> {
  /** Checks the command's name and input against the registry and gives its result type. */
  execute<Name extends keyof Registry & string>(
    key: MemberKey,
    command: Name,
    input: CommandInput<Registry[Name]>,
  ): Promise<CommandResult<Registry[Name]>>;
}
