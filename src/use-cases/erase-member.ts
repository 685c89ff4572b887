import { erasureStatements, findMember, MemberNotFoundError, type Member, type MemberRef } from '../modules/members';
import { forgetMemberTier } from '../modules/tiers';
import { forgetMemberCarts } from '../modules/checkout';
import { type Database, writeBatch } from '../platform/db/database';
import type { Command } from '../platform/serializer/commands';
import { memberKey, type Serializer } from '../platform/serializer/serializer';

/**
 * GDPR erasure, in the member's serializer: personal data and consents are gone (members), and so is
 * the member's tier standing (tiers) and open carts (checkout), in one batch. Erasing twice is not an error: the second call
 * finds nothing left to erase.
 */
export const eraseMemberCommand: Command<MemberRef, MemberRef & { alreadyErased: boolean }> = async ({ db, clock }, ref) => {
  const erasure = await erasureStatements(db, ref, clock.now());
  if (!erasure) return { ...ref, alreadyErased: true };
  await writeBatch(db, [...erasure, forgetMemberTier(db, ref.memberId), forgetMemberCarts(db, ref.memberId)]);
  return { ...ref, alreadyErased: false };
};

export const erasureCommands = { 'members.erase': eraseMemberCommand };

export function eraseMember(deps: { db: Database; serializer: Serializer<typeof erasureCommands>; afterErasure?: () => Promise<void> }) {
  return async (programId: string, memberId: string): Promise<Member> => {
    await deps.serializer.execute(memberKey(programId, memberId), 'members.erase', { programId, memberId });
    // Best effort: the erasure is committed; what the embedded database's files still hold of
    // the old row goes at this checkpoint, or at SQLite's next automatic one.
    await deps.afterErasure?.().catch(() => undefined);
    const member = await findMember(deps.db, programId, memberId);
    if (!member) throw new MemberNotFoundError(memberId);
    return member;
  };
}
