import type { Clock } from '../platform/clock';
import type { Database } from '../platform/db/database';
import type { Serializer } from '../platform/serializer/serializer';
import { enrollMember } from './enroll-member';
import { eraseMember, erasureCommands } from './erase-member';

/**
 * Workflows that span modules, built only on the modules' public surfaces (`src/modules/<name>/index.ts`).
 * Their serialized commands join the registry in src/commands.ts.
 */
export const useCaseCommands = { ...erasureCommands };

/** A member's lifecycle across modules: enrollment (members, referrals) and erasure (members, tiers). */
export function createMemberLifecycle(deps: { db: Database; clock: Clock; serializer: Serializer<typeof useCaseCommands> }) {
  return { enroll: enrollMember(deps), erase: eraseMember(deps) };
}

export type MemberLifecycle = ReturnType<typeof createMemberLifecycle>;
