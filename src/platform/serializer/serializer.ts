/** Identifies the member whose changes must not interleave: `programId:memberId`. */
export type MemberKey = `${string}:${string}`;

export function memberKey(programId: string, memberId: string): MemberKey {
  return `${programId}:${memberId}`;
}

/**
 * Runs a named command for one member, one at a time per member. On Node an in-process keyed queue,
 * on Workers the member's `MemberLedger` Durable Object; both run the same command registry.
 */
export interface Serializer {
  execute<Result>(key: MemberKey, command: string, input: unknown): Promise<Result>;
}
