import {
  asDuplicateMemberError,
  findMember,
  MemberNotFoundError,
  profileUpdateStatement,
  type Member,
  type MemberRef,
  type ProfileUpdate,
} from '../modules/members';
import { fingerprintStatement } from '../modules/referrals';
import { type Database, writeBatch } from '../platform/db/database';
import type { Command } from '../platform/serializer/commands';
import { memberKey, type Serializer } from '../platform/serializer/serializer';

/** Changes a member's profile in their serializer; a new email is fingerprinted in the same batch (referrals). */
export const updateMemberCommand: Command<MemberRef & { update: ProfileUpdate }, MemberRef> = async (
  { db, clock, fingerprints },
  { programId, memberId, update },
) => {
  const now = clock.now();
  const { statements, email } = await profileUpdateStatement(db, { programId, memberId }, update, now);
  try {
    await writeBatch(db, [...statements, ...(email ? [fingerprintStatement(db, fingerprints, programId, email, now)] : [])]);
  } catch (error) {
    throw asDuplicateMemberError(error) ?? error;
  }
  return { programId, memberId };
};

export const profileCommands = { 'members.update': updateMemberCommand };

export function updateMember({ db, serializer }: { db: Database; serializer: Serializer<typeof profileCommands> }) {
  return async (programId: string, memberId: string, update: ProfileUpdate): Promise<Member> => {
    await serializer.execute(memberKey(programId, memberId), 'members.update', { programId, memberId, update });
    const member = await findMember(db, programId, memberId);
    if (!member) throw new MemberNotFoundError(memberId);
    return member;
  };
}
