import { erasureStatements, findMember, MemberNotFoundError, type Member, type MemberRef } from '../modules/members';
import type { Database } from '../platform/db/database';
import { forgetMemberTier } from '../modules/tiers';
import { writeBatch } from '../platform/db/database';
import type { Command } from '../platform/serializer/commands';
import { memberKey, type Serializer } from '../platform/serializer/serializer';

/**
 * GDPR erasure, in the member's serializer: personal data and consents are gone (members), and so is
 * the member's tier standing (tiers), in one batch. Erasing twice is not an error: the second call
 * finds nothing left to erase.
 */
export const eraseMemberCommand: Command<MemberRef, MemberRef & { alreadyErased: boolean }> = async ({ db, clock }, ref) => {
  const statements = await erasureStatements(db, ref, clock.now());
  if (!statements) return { ...ref, alreadyErased: true };
  await writeBatch(db, [...statements, forgetMemberTier(db, ref.memberId)]);
  return { ...ref, alreadyErased: false };
};

export const erasureCommands = { 'members.erase': eraseMemberCommand };

export function eraseMember({ db, serializer }: { db: Database; serializer: Serializer<typeof erasureCommands> }) {
  return async (programId: string, memberId: string): Promise<Member> => {
    await serializer.execute(memberKey(programId, memberId), 'members.erase', { programId, memberId });
    const member = await findMember(db, programId, memberId);
    if (!member) throw new MemberNotFoundError(memberId);
    return member;
  };
}
